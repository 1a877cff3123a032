// swift-tools-version:6.0
//
// mpsh — Python's multiprocessing, done right, in Swift.
//
//   mpsh (executable) ──▶ MPShell (language + shell) ──▶ Multiprocessing (library) ──▶ CShim (C)
//
// Dependencies point one way only. `CShim` knows nothing of Swift, `Multiprocessing` nothing of the shell.
import PackageDescription

let cWarnings: [CSetting] = [.unsafeFlags(["-Wall", "-Wextra", "-Werror=implicit-function-declaration"])]

let package = Package(
    name: "mpsh",
    products: [
        .library(name: "Multiprocessing", targets: ["Multiprocessing"]),
        .library(name: "MPShell", targets: ["MPShell"]),
        .executable(name: "mpsh", targets: ["mpsh"]),
        .executable(name: "mpbench", targets: ["mpbench"]),
        .executable(name: "mp-examples", targets: ["MPExamples"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The fork-safe primitives: robust process-shared mutexes, futex/eventfd wake-ups, the shared-memory ring.
        .target(name: "CShim", path: "CShim", cSettings: cWarnings + [.define("_GNU_SOURCE")]),
        // The library: CPython's multiprocessing in Swift types, over CShim.
        .target(name: "Multiprocessing", dependencies: ["CShim"]),
        // The only way from MPShell to the library's Pool and ProcessPoolExecutor, whose handler threads must never
        // retain or release an object that MPShell's code does (see the rule below and PoolBridge.swift). Built with
        // atomic reference counting, and without cross-module optimization, so none of its code is inlined into
        // MPShell: what it wraps is retained and released only by atomic code.
        .target(name: "PoolBridge", dependencies: ["Multiprocessing"],
                swiftSettings: [.unsafeFlags(["-Xfrontend", "-disable-cmo"])]),
        // Python's big ints over GMP (libgmp-dev; libgmp.a links into the static release mpsh). Measured against the
        // attaswift/BigInt package it replaced (medians of 5, CPython 3.11 in the same run): a pyperformance-style
        // pidigits of 2000 digits 2093 -> 83 ms (CPython 632), factorial(50000) and big products 10.8 s -> 81 ms
        // (CPython 804 ms), str() of 4000-digit ints 3.4 s -> 180 ms (CPython 1.5 s).
        .target(name: "CGmp", path: "Sources/CGmp", cSettings: cWarnings,
                linkerSettings: [.linkedLibrary("gmp")]),
        // The standard modules mpsh writes in Python (python/*.py), embedded with C23's #embed (pylib.c lists them).
        .target(name: "CPyLib", path: "Sources/CPyLib", exclude: ["python"], cSettings: cWarnings),
        // The C libraries behind `zlib` (zlib1g-dev) and `hashlib` (OpenSSL's libcrypto, libssl-dev); libz.a and
        // libcrypto.a link into the static release mpsh.
        .target(name: "CModules", path: "Sources/CModules", cSettings: cWarnings,
                linkerSettings: [.linkedLibrary("z"), .linkedLibrary("crypto")]),
        // The mpsh language (a Python subset) and the shell, over the library's public API.
        //
        // Not (yet) compiled with `-assume-single-threaded`, though it would pay: its retains and releases would be
        // non-atomic (a plain load-add-store instead of a locked read-modify-write), as CPython's reference counts
        // are; measured on 2 vCPUs, user CPU of 5 runs: richards 0.66 -> 0.45 s, float 1.00 -> 0.71, nbody
        // 1.61 -> 1.17, chaos 0.77 -> 0.65. The rule that would make it correct: no object that MPShell's code
        // retains or releases is ever retained or released by another thread at the same time. MPShell's own code
        // keeps it (one thread: `withLargeStack` joins its pthread; the pool and executor only through PoolBridge's
        // handles, see PoolBridge.swift; SingleThreadRuleTests keeps threads and the pool's types out of MPShell).
        // What breaks it is the linker: compiler-generated shared functions (outlined copies and consumes of enums
        // and strings, generic specializations such as Array.append(contentsOf:) or _NativeSet.resize) are emitted
        // in every module that uses them under the same name and merged at link time; the copy that wins may be
        // MPShell's non-atomic one (its objects precede Multiprocessing's on the link line), and the library then
        // runs it on its pool threads. In the static release mpsh 20 such functions resolved to MPShell's copy
        // (among them `outlined consume of PoolError`, `specialized Array.append(contentsOf:)`), and the pool's
        // handler thread was seen calling one. Enable the flag (add
        // `swiftSettings: [.unsafeFlags(["-Xfrontend", "-assume-single-threaded"])]` here) only once MPShell's
        // shared functions can no longer be picked for other modules' code (e.g. MPShell linked as its own shared
        // object, or its objects' weak definitions made local).
        .target(name: "MPShell", dependencies: ["Multiprocessing", "PoolBridge", "CShim", "CGmp", "CPyLib", "CModules"]),
        // GNU readline, linked only into the executable that owns the terminal.
        .systemLibrary(name: "CReadline", path: "Sources/CReadline",
                       providers: [.apt(["libreadline-dev"])]),
        // The release mpsh is one static executable (Swift runtime, Foundation, glibc, readline): fork() copies
        // the page table entries of every private mapping the parent has written and a child's exit tears them
        // down, so the fewer such mappings and pages the cheaper each Process start. Dynamically linked there were
        // 24 written mappings (two or three per shared library) and ~800 pages; static, 5 mappings. The linker
        // script keeps read-only data out of the writable segment (see it); -z now keeps glibc's ifunc slots
        // (.got.plt, filled at start-up) read-only afterwards with the rest of RELRO. Measured (2 vCPUs): a Process
        // start+join 320 µs instead of 455 with the shared libraries, and `mpsh -c pass` 4.4 ms instead of 8.2.
        .executableTarget(name: "mpsh", dependencies: [
            "MPShell", "CReadline",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [
            .unsafeFlags(["-static-executable", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "now",
                          "-Xlinker", "-T", "-Xlinker", Context.packageDirectory + "/scripts/link/readonly-rodata.ld"],
                         .when(configuration: .release)),
            // what the static Foundation needs beside it (the modules were compiled against the shared one, whose
            // autolink entries do not name these)
            .linkedLibrary("CoreFoundation", .when(configuration: .release)),
            .linkedLibrary("_FoundationCShims", .when(configuration: .release)),
            .linkedLibrary("_FoundationCollections", .when(configuration: .release)),
            .linkedLibrary("_FoundationICU", .when(configuration: .release)),
            .linkedLibrary("tinfo", .when(configuration: .release)),
        ]),
        // Benchmarks, side by side with CPython (../shared/bench/python): `swift run -c release mpbench --help`.
        .executableTarget(name: "mpbench", dependencies: [
            "Multiprocessing", "CShim",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // The seed tutorials' examples, in Swift over the library: `swift run mp-examples --help`.
        .executableTarget(name: "MPExamples", dependencies: [
            "Multiprocessing",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Running child programs from the tests (python3, the built mpsh and mp-examples): one runner for all.
        .target(name: "TestSupport", dependencies: ["CShim"], path: "Tests/TestSupport"),
        // Runs a program with pidfd_open refused (seccomp), for the tests of the fallbacks without pidfds.
        .executableTarget(name: "without-pidfd", path: "Tests/Tools/WithoutPidfd", cSettings: cWarnings),

        .testTarget(name: "CShimTests", dependencies: ["CShim", "TestSupport"]),
        // SeedExamples/ holds the tutorials' Python programs that the examples are checked against.
        .testTarget(name: "MultiprocessingTests", dependencies: ["Multiprocessing", "CShim", "MPExamples", "TestSupport"],
                    exclude: ["SeedExamples"]),
        // Corpus/ holds the differential programs, read at test time (python3 gives the expected output).
        .testTarget(name: "MPShellTests", dependencies: ["MPShell", "TestSupport"], exclude: ["Corpus", "MPCorpus"]),
        // Runs the built `mpsh` (next to the test bundle): batch runs, and the shell through a pseudo-terminal;
        // plus the shell's pure parts (chunk parser, quick-command translator) directly.
        .testTarget(name: "MPShellE2ETests", dependencies: ["MPShell", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
