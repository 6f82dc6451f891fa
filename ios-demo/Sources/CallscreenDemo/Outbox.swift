// Ut over HTTPS for report delivery (URLSession, synchronous for the FFI),
// run from a BGProcessingTask. Mirrors OutboxWorker.kt. Not compiled here.

import Foundation

final class HttpsUtTransport: UtTransport {
    let root: URL
    init(root: URL) { self.root = root }

    func send(request: UtRequest) throws -> UtResponse {
        var r = URLRequest(url: root.appendingPathComponent(request.path), timeoutInterval: 20)
        switch request.method {
        case .get: r.httpMethod = "GET"
        case .put: r.httpMethod = "PUT"
        case .post: r.httpMethod = "POST"
        case .delete: r.httpMethod = "DELETE"
        }
        request.headers.forEach { r.addValue($0.value, forHTTPHeaderField: $0.name) }
        if !request.body.isEmpty { r.httpBody = request.body }
        let done = DispatchSemaphore(value: 0)
        var result: Result<(HTTPURLResponse, Data), Error>!
        URLSession.shared.dataTask(with: r) { data, response, error in
            if let error { result = .failure(error) }
            else { result = .success((response as! HTTPURLResponse, data ?? Data())) }
            done.signal()
        }.resume()
        done.wait()
        switch result! {
        case .failure(let e as URLError) where e.code == .timedOut:
            throw UtTransportError.Timeout(reason: e.localizedDescription)
        case .failure(let e):
            throw UtTransportError.Unreachable(reason: e.localizedDescription)
        case .success(let (http, data)):
            let headers = http.allHeaderFields.map { UtHeader(name: "\($0.key)", value: "\($0.value)") }
            return UtResponse(status: UInt16(http.statusCode), headers: headers, body: data)
        }
    }
}
