import Foundation
import TestSupport

// Running the seed examples' programs (`mp-examples` and python3) as child programs, for the seed example tests.

/// Tests/MultiprocessingTests/SeedExamples/.
var seedExamplesDirectory: String {
    let file = "\(#filePath)"
    let support = file[..<file.lastIndex(of: "/")!]
    return String(support[..<support.lastIndex(of: "/")!]) + "/SeedExamples"
}

/// `mp-examples`, built next to the test binary.
func examplesBinary() throws -> String { try builtExecutable("mp-examples") }

/// Runs `arguments` (the first looked up on PATH) with standard input from /dev/null; kills it after `limit`
/// seconds.
func spawnProgram(_ arguments: [String], environment: [String], limit: Double = 60) throws -> ChildRun {
    try runChild(arguments, environment: environment, limit: limit)
}
