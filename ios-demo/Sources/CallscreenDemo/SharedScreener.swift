// One CallScreener on the app group's database, shared by the app and its
// extensions. Not compiled here.

import Foundation

enum SharedScreener {
    static let appGroup = "group.org.callscreen.demo"

    static func open() throws -> CallScreener {
        let dir = FileManager.default.containerURL(forSecurityApplicationGroupIdentifier: appGroup)!
        let anchors = try String(contentsOf: Bundle.main.url(forResource: "sti-ca-roots", withExtension: "pem")!)
        return try CallScreener.open(
            config: ScreenerConfig(dbPath: dir.appendingPathComponent("callscreen.db").path,
                                   trustAnchorsPem: [anchors], ownNumbers: [],
                                   likelySpamAction: .silence),
            certificateSource: nil)
    }
}
