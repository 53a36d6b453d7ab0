import ArgumentParser

@main
struct OasstCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oasst",
        abstract: "Open Assistant: collect human feedback, chat with the assistant, export the data.",
        subcommands: [
            ServeCommand.self,
            MigrateCommand.self,
            ConsensusCommand.self,
            UserCommand.self,
            GenerateCommand.self,
            TokenizeCommand.self,
            ChatCommand.self,
            BenchCommand.self,
            ExportCommand.self,
            ExportChatsCommand.self,
            ImportCommand.self,
            RescoreCommand.self,
        ]
    )
}
