import Foundation

/// Finds the folder that holds `Templates/`, `Public/` and `migrations/`: the working directory when
/// the server is started from the project, else the package this source file was built from.
public enum ResourceRoot {
    public static func locate() -> URL {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if hasTemplates(current) { return current }
        // Sources/Web/Configuration/ResourceRoot.swift → the package root, four levels up.
        let package = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return package
    }

    private static func hasTemplates(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent("Templates/layout.mustache").path)
    }
}
