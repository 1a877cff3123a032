import ArgumentParser
import Multiprocessing

/// The seed tutorials' examples (../shared/seeds), in Swift. One subcommand per example.
struct Examples: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mp-examples",
        abstract: "The multiprocessing tutorials' examples, in Swift over the Multiprocessing library.",
        subcommands: [])
}

Examples.main()
