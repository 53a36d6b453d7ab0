import Feedback
import Foundation
import Storage

/// The admin download's query string, read into the same options `oasst export` builds from its flags.
struct ExportDownloadRequest {
    var options = ExportOptions()
    var gzip = false

    /// Reads the fields of the export form; a bad value is a clear 400, never a 500.
    init(_ field: (String) -> String?) throws {
        func flag(_ name: String) -> Bool { field(name) == "1" }
        func text(_ name: String) -> String? {
            field(name).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        if let raw = text("format") {
            guard let format = ExportOptions.Format(rawValue: raw) else { throw AppError.badRequest("Unknown format “\(raw)”: use trees, flat, sft or pairs.") }
            options.format = format
        }
        switch text("state") {
        case nil: break
        case "all"?: options.state = nil
        case let raw?:
            guard let state = TreeState(rawValue: raw) else { throw AppError.badRequest("Unknown tree state “\(raw)”.") }
            options.state = state
        }
        if let lang = text("lang") {
            guard lang.count <= 20, lang.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "_" }) else {
                throw AppError.badRequest("A language is a code such as en or pt-BR.")
            }
            options.lang = lang
        }
        if let user = text("user") {
            guard let id = UUID(uuidString: user) else { throw AppError.badRequest("The user must be a user id (a UUID).") }
            options.userID = id
        }
        if let raw = text("top_k") {
            guard let k = Int(raw), k >= 1 else { throw AppError.badRequest("Top K must be a whole number of at least 1.") }
            options.topK = k
        }
        options.anonymizerSeed = text("anonymizer_seed")
        options.includeDeleted = flag("include_deleted")
        options.includeSpam = flag("include_spam")
        options.includeSynthetic = flag("include_synthetic")
        options.exportLabels = flag("export_labels")
        options.exportEvents = flag("export_events")
        gzip = flag("gzip")
    }

    /// `oasst-trees-ready_for_export-2023-04-12.jsonl.gz`, say.
    func fileName(on date: Date) -> String {
        let day = ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        return "oasst-\(options.format.rawValue)-\(options.state?.rawValue ?? "all")-\(day).jsonl" + (gzip ? ".gz" : "")
    }
}
