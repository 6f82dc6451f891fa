// Where Call Directory entries go: CXCallDirectoryExtensionContext in the
// extension (CallDirectoryHandler adapts it), a recording sink in tests.
// Numbers are CXCallDirectoryPhoneNumber values (Int64: E.164 digits without "+").

public protocol CallDirectorySink: AnyObject {
    /// The request is incremental but the export is a full load: start from nothing.
    func removeAllEntries()
    func addBlockingEntry(_ number: Int64)
    func removeBlockingEntry(_ number: Int64)
    func addIdentificationEntry(_ number: Int64, label: String)
    func removeIdentificationEntry(_ number: Int64)
}
