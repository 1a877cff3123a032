import ArgumentParser
import Multiprocessing

/// The seed tutorials' examples (../shared/seeds), in Swift. One subcommand per example; the Python originals,
/// and the map from each tutorial cell to its subcommand, are in Tests/MultiprocessingTests/SeedExamples.
struct Examples: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mp-examples",
        abstract: "The multiprocessing tutorials' examples, in Swift over the Multiprocessing library.",
        subcommands: [
            // 000 "Week 4: Multiprocessing in Python"
            Week4SpawnWorkers.self, Week4WaitForWorkers.self, Week4CoreInvestigation.self,
            // 001 "Tutorial 2 — Python Multiprocessing"
            Tutorial2ProcessInfo.self, Tutorial2SpawnWorkers.self, Tutorial2Naming.self, Tutorial2Terminate.self,
            Tutorial2Lock.self, Tutorial2Queue.self, Tutorial2JoinableQueue.self, Tutorial2Pipe.self,
            Tutorial2BenchPipe.self, Tutorial2BenchQueue.self, Tutorial2ProducerConsumer.self,
            // 002 "Using Multiprocessing and ProcessPoolExecutor"
            Chapter5Pipe.self, Chapter5Fibonacci.self,
            // 003 "Multiprocessing"
            EssentialsCubeSquare.self, EssentialsPids.self, EssentialsKeyComponents.self, EssentialsScraper.self,
            EssentialsQueueWithoutLock.self, EssentialsQueueWithLock.self,
            // 004 "Parallelisation in Python"
            ParallelisationHello.self, ParallelisationWorkers.self, ParallelisationNaming.self,
            ParallelisationQueue.self, ParallelisationLock.self,
            // Pool (PoolExamples.swift)
            Tutorial2Pool.self, ParallelisationPool.self,
        ])
}

// A child started by the spawn start method runs its function here and exits; otherwise this returns at once.
Multiprocessing.bootstrap()
Examples.main()
