import Foundation
import Hummingbird

/// Serves `Public/` for the paths that can name a file there: those under one of its folders, or a file at
/// its top. Every other request (each page) goes straight on instead of costing a file-system lookup.
struct PublicFilesMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let files: FileMiddleware<AppRequestContext, LocalFileSystem>
    let prefixes: [String]
    let topLevelFiles: Set<String>

    init(folder: String, files: FileMiddleware<AppRequestContext, LocalFileSystem>) {
        self.files = files
        var prefixes: [String] = []
        var topLevel: Set<String> = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder)
            if isFolder.boolValue { prefixes.append("/\(name)/") } else { topLevel.insert("/\(name)") }
        }
        self.prefixes = prefixes
        self.topLevelFiles = topLevel
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard topLevelFiles.contains(path) || prefixes.contains(where: { path.hasPrefix($0) }) else {
            return try await next(request, context)
        }
        return try await files.handle(request, context: context, next: next)
    }
}
