import ArgumentParser

/// mpbench: the project's benchmarks. Each subcommand measures one workload against its baseline in the same
/// run; CPython's versions are in ../shared/bench/python and are run beside ours by `mpbench compare`.
struct MPBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpbench",
        abstract: "Benchmarks for mpsh's Multiprocessing library, side by side with their baselines.",
        subcommands: [RingCommand.self, ProcessCommand.self, PipeQueueCommand.self, LockCommand.self,
                      ManagerCommand.self, PoolCommand.self, RingPathsCommand.self])
}

MPBench.main()
