// The demo app: call log, spoofed-call history, lists and policy, outbox.
// Opens the shared screener once; delivers the outbox in the background
// (OutboxScheduler) and reloads the Call Directory extension when lists change
// or the exported directory's validUntil has passed. Never compiled here.

import CallscreenDemoKit
import SwiftUI

@main
struct CallscreenDemoApp: App {
    private let opened: Result<AppModel, Error> = Result { try AppModel() }
    @Environment(\.scenePhase) private var scenePhase

    init() {
        // BGTaskScheduler handlers must be registered before launch finishes.
        if case .success(let model) = opened { model.outbox.register() }
    }

    var body: some Scene {
        WindowGroup {
            switch opened {
            case .success(let model):
                TabView {
                    NavigationView { CallLogView(vm: model.callLog) }
                        .tabItem { Label("Calls", systemImage: "phone") }
                    NavigationView { SpoofedHistoryView(vm: model.history, afterReport: model.reportQueued) }
                        .tabItem { Label("Spoofed", systemImage: "exclamationmark.shield") }
                    NavigationView { ListsView(vm: model.lists, directory: model.directory) }
                        .tabItem { Label("Lists", systemImage: "list.bullet") }
                    NavigationView { OutboxView(vm: model.outboxScreen, scheduler: model.outbox) }
                        .tabItem { Label("Reports", systemImage: "tray.and.arrow.up") }
                }
                .navigationViewStyle(.stack)
                .onChange(of: scenePhase) { phase in
                    if phase == .active { model.becameActive() }
                }
            case .failure(let error):
                Text("The call screener could not start: \(Format.error(error))").padding()
            }
        }
    }
}
