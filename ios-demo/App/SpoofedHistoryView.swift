// The spoofed-call history: flagged calls to review, delete, mark "not
// spoofed" (the number or its country), or report as spoofed; a report the
// core offers after a correction is asked for, never sent silently.

import CallScreen
import CallscreenDemoKit
import SwiftUI

struct SpoofedHistoryView: View {
    let vm: SpoofedHistoryViewModel
    let afterReport: () -> Void
    @ObservedObject private var state: StateStore<SpoofedHistoryState>

    init(vm: SpoofedHistoryViewModel, afterReport: @escaping () -> Void) {
        self.vm = vm
        self.afterReport = afterReport
        _state = ObservedObject(wrappedValue: vm.state)
    }

    var body: some View {
        List {
            if state.value.notice > 0 {
                Text("There was spoofed-call activity: \(state.value.notice) new").font(.callout)
            }
            if let message = state.value.message { Text(message).font(.callout) }
            if let error = state.value.error { Text(error).foregroundColor(.red) }
            ForEach(state.value.entries, id: \.historyId) { entry in
                RowView(row: entry.row, time: entry.time)
                    .opacity(entry.reviewed ? 0.6 : 1)
                    .swipeActions {
                        Button("Delete", role: .destructive) { vm.delete([entry.historyId]) }
                        if !entry.reviewed { Button("Reviewed") { vm.review([entry.historyId]) } }
                    }
                    .contextMenu {
                        if entry.hasNumber {
                            Button("Not spoofed: this number") { vm.notSpoofed(entry.historyId, scope: .number) }
                            Button("Not spoofed: this country") { vm.notSpoofed(entry.historyId, scope: .country) }
                            Button("Report spoofed and block") { report(entry.historyId, block: true) }
                        }
                        Button("Report spoofed") { report(entry.historyId, block: false) }
                    }
            }
        }
        .navigationTitle("Spoofed calls")
        .toolbar {
            Button("All reviewed") { vm.review(state.value.entries.map(\.historyId)) }
        }
        .alert("Send a report to your operator?", isPresented: offerShown) {
            Button("Send") {
                vm.sendOffer()
                afterReport()
            }
            Button("Not now", role: .cancel) { vm.dismissOffer() }
        } message: {
            Text("It tells your operator this call was wrongly flagged.")
        }
        .refreshable { vm.refresh() }
        .onAppear { vm.opened() }
    }

    private var offerShown: Binding<Bool> {
        Binding(get: { state.value.offer != nil }, set: { if !$0 { vm.dismissOffer() } })
    }

    private func report(_ id: Int64, block: Bool) {
        vm.report(id, block: block)
        afterReport()
    }
}
