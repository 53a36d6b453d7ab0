import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("Dataset download for administrators")
struct AdminExportTests {
    typealias Fixtures = SyntheticReplyFixtures

    struct Download {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// A GET with the visitor's cookies that keeps the body's bytes (a gzip body is not text).
    func download(_ visitor: Visitor, _ uri: String) async throws -> Download {
        let cookie = visitor.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        return try await visitor.client.execute(uri: uri, method: .get, headers: [.cookie: cookie]) { response in
            Download(status: response.status, headers: response.headers, bytes: Array(buffer: response.body))
        }
    }

    func gunzip(_ bytes: [UInt8]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("oasst-download-\(UUID().uuidString).gz")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-dc", file.path]
        let pipe = Pipe()
        gzip.standardOutput = pipe
        try gzip.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0, "the download is a valid gzip file")
        return String(decoding: data, as: UTF8.self)
    }

    @Test("signed-out visitors are sent to sign in and contributors are refused")
    func onlyAdministrators() async throws {
        try await WebTestApp.run { client, _ in
            let visitor = Visitor(client)
            for path in ["/admin/export", "/admin/export/download?format=flat"] {
                let page = try await visitor.get(path)
                #expect(page.status == .seeOther && page.location == "/signin", "\(path) answered \(page.status)")
            }
            let person = try await Contributor.signIn(client, name: "Plain contributor")
            #expect(try await person.visitor.get("/admin/export").status == .forbidden)
            let refused = try await download(person.visitor, "/admin/export/download?format=trees")
            #expect(refused.status == .forbidden && !refused.text.contains("message_tree_id"))
        }
    }

    @Test("an administrator downloads what oasst export writes, plain and gzipped")
    func administratorDownloads() async throws {
        try await WebTestApp.run { client, database in
            let author = try await Fixtures.user(database, name: "Prompt author")
            for n in 1...3 {
                try await Fixtures.tree(database, state: "ready_for_export", author: author, prompt: "Exported prompt \(n)?",
                                        replies: [.init(modelName: nil, accepted: true), .init(modelName: nil, accepted: true)])
            }
            try await Fixtures.tree(database, author: author, prompt: "A growing prompt?")
            let admin = try await Contributor.signIn(client, name: "Administrator")
            try await database.withConnection { connection in
                try await connection.query("UPDATE users SET role = 'admin' WHERE display_name = 'Administrator'", logger: database.logger)
            }
            let form = try await admin.visitor.get("/admin/export")
            #expect(form.status == .ok && form.text.contains("name=\"format\"") && form.text.contains("ready_for_export"))

            let plain = try await download(admin.visitor, "/admin/export/download?format=trees&state=ready_for_export")
            #expect(plain.status == .ok)
            #expect(plain.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"oasst-trees-ready_for_export-") == true)
            let expected = CollectedLines()
            _ = try await TreeExporter(database: database).export(ExportOptions(), to: expected)
            let lines = plain.text.split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            #expect(Set(lines) == Set(expected.lines), "the download holds exactly what oasst export writes")

            let packed = try await download(admin.visitor, "/admin/export/download?format=trees&state=ready_for_export&gzip=1")
            #expect(packed.status == .ok && packed.bytes.starts(with: [0x1F, 0x8B]))
            #expect(packed.headers[.contentDisposition]?.contains(".jsonl.gz\"") == true)
            #expect(try gunzip(packed.bytes) == plain.text)

            let flat = try await download(admin.visitor, "/admin/export/download?format=flat&state=all&lang=en")
            #expect(flat.text.split(separator: "\n").count == 3 * 3 + 1, "every accepted message of every tree, one per line")

            let bad = try await download(admin.visitor, "/admin/export/download?state=bogus")
            #expect(bad.status == .badRequest && bad.text.contains("Unknown tree state"))
            let badUser = try await download(admin.visitor, "/admin/export/download?user=someone")
            #expect(badUser.status == .badRequest)
        }
    }
}
