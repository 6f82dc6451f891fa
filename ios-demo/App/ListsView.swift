// Lists and policy: blocks, exceptions, "pause blocking until", reaction
// settings, and what the Call Directory extension last loaded. iOS applies
// only what CallKit can express (numbers, prefixes, ranges); the rest is
// listed in the extension's report.

import CallScreen
import CallscreenDemoKit
import SwiftUI

struct ListsView: View {
    let vm: ListsViewModel
    @ObservedObject private var state: StateStore<ListsState>
    @ObservedObject private var directory: CallDirectoryReloader
    @State private var number = ""
    @State private var label = ""
    @State private var country = ""
    @State private var pauseEnd = Date().addingTimeInterval(3600)

    init(vm: ListsViewModel, directory: CallDirectoryReloader) {
        self.vm = vm
        _state = ObservedObject(wrappedValue: vm.state)
        _directory = ObservedObject(wrappedValue: directory)
    }

    var body: some View {
        Form {
            if let error = state.value.error { Text(error).foregroundColor(.red) }
            Section("Add") {
                TextField("Number, e.g. +12025550123", text: $number).keyboardType(.phonePad)
                TextField("Label (optional)", text: $label)
                HStack {
                    Button("Block") { vm.block(number, label: label.isEmpty ? nil : label); clear() }
                    Spacer()
                    Button("Always let ring") { vm.allowNumber(number, label: label.isEmpty ? nil : label); clear() }
                }
                .buttonStyle(.borderless)
                TextField("Country (ISO code, e.g. FR)", text: $country).textInputAutocapitalization(.characters)
                Button("Let calls from this country ring") { vm.allowCountry(country); country = "" }
            }
            Section("Pause blocking") {
                if let until = state.value.pausedUntil {
                    Text("Every call rings until \(until)")
                    Button("Resume blocking") { vm.resume() }
                } else {
                    DatePicker("Until", selection: $pauseEnd, in: Date()...)
                    Button("Pause") { vm.pauseUntil(Int64(pauseEnd.timeIntervalSince1970)) }
                }
            }
            Section("Blocked") {
                ForEach(state.value.blocks) { rule(item: $0) }
                    .onDelete { offsets in offsets.map { state.value.blocks[$0].id }.forEach(vm.remove) }
            }
            Section("Always ring") {
                ForEach(state.value.exceptions) { rule(item: $0) }
                    .onDelete { offsets in offsets.map { state.value.exceptions[$0].id }.forEach(vm.remove) }
            }
            if let p = state.value.policy {
                Section("Reaction") {
                    Toggle("Show only trusted numbers (CLI)", isOn: Binding(
                        get: { p.presentOnlyTrustedCli }, set: { vm.setPresentOnlyTrustedCli($0) }))
                    Picker("Withheld callers", selection: Binding(
                        get: { p.withheldAction }, set: { vm.setWithheldAction($0) })) { actions }
                    Picker("Unverified calls", selection: Binding(
                        get: { p.unverifiedAction }, set: { vm.setUnverifiedAction($0) })) { actions }
                    Text("iOS applies these only to calls the app itself screens (VoIP); "
                        + "the Call Directory carries blocks and labels, never verification.")
                        .font(.caption).foregroundColor(.secondary)
                }
            }
            if let status = directory.status {
                Section("Call Directory") { Text(status).font(.caption) }
            }
        }
        .navigationTitle("Lists")
        .onAppear { vm.refresh() }
    }

    @ViewBuilder private var actions: some View {
        Text("Ring").tag(Action.allow)
        Text("Silence").tag(Action.silence)
        Text("Voicemail").tag(Action.voicemail)
        Text("Block").tag(Action.reject)
    }

    private func rule(item: RuleItem) -> some View {
        VStack(alignment: .leading) {
            Text(item.label.map { "\(item.what) — \($0)" } ?? item.what)
            Text([item.source, item.until.map { "until \($0)" }, item.unlessVerified ? "unless verified" : nil]
                .compactMap { $0 }.joined(separator: " · "))
                .font(.caption).foregroundColor(.secondary)
        }
    }

    private func clear() {
        number = ""
        label = ""
    }
}
