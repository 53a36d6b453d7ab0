import ArgumentParser
import Foundation
import Mail
import Storage

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Create users and change their roles.",
        subcommands: [Create.self, SetRole.self, APIKey.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user (or update the role of an existing one).")
        @Option(help: "The user's email address.") var email: String
        @Option(help: "general, moderator or admin.") var role: String = "general"
        @Option(help: "Display name (optional; asked at first sign-in otherwise).") var name: String?

        func run() async throws {
            let role = try UserCommand.parseRole(role)
            try UserCommand.checkEmail(email)
            try await UserCommand.withUsers { users in
                let user = try await users.findOrCreate(email: email.lowercased(), role: role)
                try await users.setRole(id: user.id, role: role)
                if let name {
                    try await users.completeProfile(id: user.id, displayName: name, acceptTerms: false)
                }
                print("user \(user.id.uuidString.lowercased()) \(email.lowercased()) role=\(role.rawValue)")
            }
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Change a user's role.")
        @Option(help: "The user's email address.") var email: String
        @Option(help: "general, moderator or admin.") var role: String

        func run() async throws {
            let role = try UserCommand.parseRole(role)
            try await UserCommand.withUsers { users in
                guard let user = try await users.find(email: email.lowercased()) else {
                    throw Console.Failure("no user with the address \(email)")
                }
                try await users.setRole(id: user.id, role: role)
                print("user \(user.id.uuidString.lowercased()) \(email.lowercased()) role=\(role.rawValue)")
            }
        }
    }

    struct APIKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "api-key", abstract: "Create an API key for a user (created if needed); the key is the last word printed."
        )
        @Option(help: "The user's email address.") var email: String
        @Option(help: "A name to tell the key apart on the account page.") var name: String = "command line"

        func run() async throws {
            try UserCommand.checkEmail(email)
            try await UserCommand.withUsers { users, database in
                let user = try await users.findOrCreate(email: email.lowercased())
                let created = try await APIKeyStore(database: database).create(userID: user.id, name: name)
                print("API key for \(email.lowercased()): \(created.secret)")
            }
        }
    }

    static func parseRole(_ text: String) throws -> User.Role {
        guard let role = User.Role(rawValue: text.lowercased()) else {
            throw Console.Failure("unknown role '\(text)'; use general, moderator or admin")
        }
        return role
    }

    static func checkEmail(_ email: String) throws {
        do {
            try MailAddress.validate(email, field: "email")
        } catch {
            throw Console.Failure(error.description)
        }
    }

    static func withUsers(_ work: (UserStore) async throws -> Void) async throws {
        try await withUsers { users, _ in try await work(users) }
    }

    static func withUsers(_ work: (UserStore, Database) async throws -> Void) async throws {
        let configuration = try Console.configuration()
        let database = Database(url: configuration.databaseURL, logger: Console.logger("oasst.user"))
        try await Console.withDatabase(database) {
            try await work(UserStore(database: database), database)
        }
    }
}
