// The outbox: every report and network barring change with its delivery
// state; a failed one can be retried; "Send now" runs a delivery pass.

import CallScreen
import CallscreenDemoKit
import SwiftUI

struct OutboxView: View {
    let vm: OutboxViewModel
    let scheduler: OutboxScheduler
    @ObservedObject private var state: StateStore<OutboxUiState>
    @State private var sending = false

    init(vm: OutboxViewModel, scheduler: OutboxScheduler) {
        self.vm = vm
        self.scheduler = scheduler
        _state = ObservedObject(wrappedValue: vm.state)
    }

    var body: some View {
        List {
            if !scheduler.canDeliver {
                Text("No Ut server configured (CallscreenUtRoot): reports wait here.").font(.callout)
            }
            if let error = state.value.error { Text(error).foregroundColor(.red) }
            Text("\(state.value.waiting) waiting, \(state.value.failed) not delivered").font(.callout)
            ForEach(state.value.rows) { row in
                VStack(alignment: .leading, spacing: 4) {
                    Text(row.what).font(.headline)
                    Text(row.stateText).font(.caption)
                    if row.canRetry {
                        Button("Retry") {
                            if vm.retry(row.id) { send() }
                        }
                        .buttonStyle(.borderless)
                    }
                }
            }
        }
        .navigationTitle("Reports")
        .toolbar {
            Button(sending ? "Sending…" : "Send now") { send() }.disabled(sending || !scheduler.canDeliver)
        }
        .refreshable { vm.refresh() }
        .onAppear { vm.refresh() }
    }

    private func send() {
        sending = true
        scheduler.deliverSoon { _ in
            sending = false
            vm.refresh()
        }
    }
}
