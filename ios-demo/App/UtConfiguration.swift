// Where reports go: the operator's XCAP root (Info.plist CallscreenUtRoot) and
// the subscriber's Ut credentials (the keychain, service
// org.callscreen.demo.ut; GBA, TS 33.222, is not available to apps).
// Without a root, reports wait in the outbox.

import CallScreen
import CallscreenDemoKit
import Foundation
import Security

enum UtConfiguration {
    static let keychainService = "org.callscreen.demo.ut"

    static func transport() -> UtTransport? {
        guard let root = (Bundle.main.object(forInfoDictionaryKey: "CallscreenUtRoot") as? String).flatMap(URL.init(string:)),
              !root.absoluteString.isEmpty else { return nil }
        return try? HttpsUtTransport(root: root, credentials: credentials())
    }

    static func credentials() -> UtCredentials? {
        let query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: keychainService,
            kSecReturnAttributes as String: true,
            kSecReturnData as String: true,
            kSecMatchLimit as String: kSecMatchLimitOne,
        ]
        var item: CFTypeRef?
        guard SecItemCopyMatching(query as CFDictionary, &item) == errSecSuccess,
              let found = item as? [String: Any],
              let user = found[kSecAttrAccount as String] as? String,
              let data = found[kSecValueData as String] as? Data,
              let password = String(data: data, encoding: .utf8) else { return nil }
        return UtCredentials(username: user, password: password)
    }
}
