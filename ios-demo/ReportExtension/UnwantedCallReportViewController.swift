// The Unwanted Communication Reporting extension: the user taps "Report" on a
// call in Recents; iOS shows this view, then asks for the classification when
// the user taps Done. The report becomes a callscreen "spoofed" or
// "unsolicited" report (UnwantedCallReport), queued in the outbox of the
// shared database; the app delivers it over Ut. iOS itself sends nothing: the
// response's action is .none (no SMS or network report destination is
// configured in Info.plist). Never compiled here (no Swift toolchain).

import CallKit
import CallScreen
import CallscreenDemoKit
import IdentityLookup
import IdentityLookupUI
import UIKit

final class UnwantedCallReportViewController: ILClassificationUIExtensionViewController {
    private let kind = UISegmentedControl(items: ["Spoofed number", "Unwanted call"])
    private let block = UISwitch()
    private let comment = UITextField()
    private let note = UILabel()

    override func viewDidLoad() {
        super.viewDidLoad()
        view.backgroundColor = .systemBackground
        kind.selectedSegmentIndex = 0
        block.isOn = true
        comment.placeholder = "What was the call about? (optional)"
        comment.borderStyle = .roundedRect
        note.numberOfLines = 0
        note.font = .preferredFont(forTextStyle: .footnote)
        note.textColor = .secondaryLabel

        let explain = UILabel()
        explain.numberOfLines = 0
        explain.font = .preferredFont(forTextStyle: .footnote)
        explain.text = "Spoofed: someone else used this number. Unwanted: the real caller, but a call you did not want. "
            + "The report goes to your operator; a spoofed number is blocked unless the call is verified."
        let blockLabel = UILabel()
        blockLabel.text = "Block this number"
        let blockRow = UIStackView(arrangedSubviews: [blockLabel, block])
        let stack = UIStackView(arrangedSubviews: [kind, explain, blockRow, comment, note])
        stack.axis = .vertical
        stack.spacing = 16
        stack.translatesAutoresizingMaskIntoConstraints = false
        view.addSubview(stack)
        NSLayoutConstraint.activate([
            stack.topAnchor.constraint(equalTo: view.safeAreaLayoutGuide.topAnchor, constant: 20),
            stack.leadingAnchor.constraint(equalTo: view.layoutMarginsGuide.leadingAnchor),
            stack.trailingAnchor.constraint(equalTo: view.layoutMarginsGuide.trailingAnchor),
        ])
    }

    /// Before the view appears: every call can be reported (a withheld caller by
    /// the time it called); only a number can be blocked.
    override func prepare(for request: ILClassificationRequest) {
        let call = (request as? ILCallClassificationRequest)?.callCommunications.last
        let canBlock = call.map { report(for: $0).canBlock } ?? false
        note.text = canBlock ? nil : "A withheld caller: the report cites the time of the call; there is no number to block."
        block.isEnabled = canBlock
        extensionContext.isReadyForClassificationResponse = call != nil
    }

    /// The user tapped Done: queue one report per call (iOS sends one today).
    override func classificationResponse(for request: ILClassificationRequest) -> ILClassificationResponse {
        let calls = (request as? ILCallClassificationRequest)?.callCommunications ?? []
        do {
            let screener = try AppGroup.openScreener()
            defer { try? screener.shutdown() }
            for call in calls {
                _ = try report(for: call).queue(on: screener)
            }
            if block.isOn {
                // The block reaches iOS through the Call Directory; the app reloads it too when opened.
                CXCallDirectoryManager.sharedInstance.reloadExtension(withIdentifier: AppGroup.callDirectoryExtension) { _ in }
            }
        } catch {
            // Nothing more to do from here: the user sees the call unreported in the app's history.
        }
        return ILClassificationResponse(action: .none)
    }

    private func report(for call: ILCallCommunication) -> UnwantedCallReport {
        UnwantedCallReport(sender: call.sender, received: call.dateReceived,
                           kind: kind.selectedSegmentIndex == 0 ? .spoofed : .unsolicited,
                           block: block.isOn, comment: comment.text)
    }
}
