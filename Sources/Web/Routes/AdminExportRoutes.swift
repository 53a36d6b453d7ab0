import Feedback
import Foundation
import Hummingbird
import Storage

/// The dataset download for administrators: the options of `oasst export` as a form, and the file streamed
/// as it is written, one chunk at a time, so memory stays flat however large the database.
struct AdminExportRoutes {
    let views: Views
    let exporter: TreeExporter

    func register(on router: Router<AppRequestContext>) {
        router.get("/admin/export", use: form)
        router.get("/admin/export/download", use: download)
    }

    private func admin(_ context: AppRequestContext) throws {
        let user = try context.requireUser()
        guard user.role == .admin else { throw AppError.forbidden("Only administrators can download the dataset.") }
    }

    @Sendable func form(request: Request, context: AppRequestContext) async throws -> Response {
        try admin(context)
        let states: [[String: Any]] = [["value": "all", "name": "all states"]] + TreeState.allCases.map {
            ["value": $0.rawValue, "name": $0.rawValue.replacingOccurrences(of: "_", with: " "), "selected": $0 == .readyForExport]
        }
        let formats: [[String: Any]] = [
            ["value": "trees", "name": "trees: one tree per line (oasst format)", "selected": true],
            ["value": "flat", "name": "flat: one message per line (Hugging Face columns)"],
            ["value": "sft", "name": "sft: one conversation thread per line"],
            ["value": "pairs", "name": "pairs: prompt, chosen, rejected"],
        ]
        return try views.page("admin_export", title: "Export the dataset", ["states": states, "formats": formats], context: context).response
    }

    @Sendable func download(request: Request, context: AppRequestContext) async throws -> Response {
        try admin(context)
        let query = request.uri.queryParameters
        let selection = try ExportDownloadRequest { query.get($0) }
        let exporter = self.exporter
        let logger = context.logger
        let body = ResponseBody { writer in
            let sink = BodySink(writer)
            let output = try ChunkedLineOutput(gzip: selection.gzip) { try await sink.write($0) }
            do {
                let summary = try await exporter.export(selection.options, to: output)
                logger.info("dataset download: \(summary.trees) trees, \(summary.messages) messages")
            } catch {
                // The status line is already sent; ending the stream early is all that is left to do.
                logger.error("dataset download failed: \(error)")
                throw error
            }
            try await sink.finish()
        }
        return Response(status: .ok, headers: [
            .contentType: selection.gzip ? "application/gzip" : "application/x-ndjson; charset=utf-8",
            .contentDisposition: "attachment; filename=\"\(selection.fileName(on: Date()))\"",
            .cacheControl: "no-store",
        ], body: body)
    }
}

/// Keeps the response writer for the export's chunks: the body closure's writer cannot be captured directly.
private final class BodySink: @unchecked Sendable {
    private var writer: any ResponseBodyWriter

    init(_ writer: any ResponseBodyWriter) { self.writer = writer }

    func write(_ bytes: [UInt8]) async throws { try await writer.write(ByteBuffer(bytes: bytes)) }

    func finish() async throws { try await writer.finish(nil) }
}
