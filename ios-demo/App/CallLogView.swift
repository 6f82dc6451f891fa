// The call log: every call the core screened, with its indication, what was
// done, the verification in one line and the reasons.

import CallScreen
import CallscreenDemoKit
import SwiftUI

struct CallLogView: View {
    let vm: CallLogViewModel
    @ObservedObject private var state: StateStore<CallLogState>

    init(vm: CallLogViewModel) {
        self.vm = vm
        _state = ObservedObject(wrappedValue: vm.state)
    }

    var body: some View {
        List {
            if let error = state.value.error { Text(error).foregroundColor(.red) }
            ForEach(state.value.items, id: \.historyId) { item in
                VStack(alignment: .leading, spacing: 4) {
                    RowView(row: item.row, time: item.time)
                    Text(item.verification).font(.caption)
                    ForEach(item.reasons, id: \.self) { Text($0).font(.caption2).foregroundColor(.secondary) }
                }
            }
        }
        .navigationTitle("Calls")
        .toolbar {
            Menu("Show") {
                Button("All calls") { vm.show([]) }
                Button("Likely spam") { vm.show([.likelySpam]) }
                Button("Verified") { vm.show([.verified, .verifiedBusiness]) }
                Button("Unverified") { vm.show([.unverified]) }
            }
        }
        .refreshable { vm.refresh() }
        .onAppear {
            vm.recordAllCalls()
            vm.refresh()
        }
    }
}

/// One row: title, the indication's text, what was done; coloured by tone.
struct RowView: View {
    let row: CallRow
    let time: String

    var body: some View {
        HStack {
            Image(systemName: icon).foregroundColor(color)
            VStack(alignment: .leading) {
                Text(row.title).font(.headline)
                Text(row.subtitle).font(.subheadline).foregroundColor(color)
            }
            Spacer()
            VStack(alignment: .trailing) {
                Text(time).font(.caption)
                Text(row.actionText).font(.caption)
            }
        }
    }

    private var icon: String {
        switch row.tone {
        case .trusted: return "checkmark.seal"
        case .neutral: return "phone"
        case .warning: return "exclamationmark.triangle"
        case .hidden: return "eye.slash"
        }
    }

    private var color: Color {
        switch row.tone {
        case .trusted: return .green
        case .neutral: return .primary
        case .warning: return .orange
        case .hidden: return .secondary
        }
    }
}
