// swift-tools-version:6.0
//
// mpsh — Python's multiprocessing, done right, in Swift.
//
//   mpsh (executable) ──▶ PyLang (language + binding + shell) ──▶ Multiprocessing (library) ──▶ CShim (C)
//
// Dependencies point one way only. `CShim` knows nothing of Swift, `Multiprocessing` nothing of the shell.
import PackageDescription

let cWarnings: [CSetting] = [.unsafeFlags(["-Wall", "-Wextra", "-Werror=implicit-function-declaration"])]

let package = Package(
    name: "mpsh",
    products: [
        .library(name: "Multiprocessing", targets: ["Multiprocessing"]),
        .library(name: "PyLang", targets: ["PyLang"]),
        // The C ABI: C and C++ processes attach to the same rings (CShim/include/cshim_ring.h, Examples/ring-c).
        .library(name: "CShim", targets: ["CShim"]),
        .library(name: "MultiprocessingMPI", targets: ["MultiprocessingMPI"]),
        .executable(name: "mpsh", targets: ["mpsh"]),
        .executable(name: "mpsh-mpi", targets: ["MPIShell"]),
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
        // MPI (Open MPI's libmpi, a shared library, through pkg-config `mpi`; libopenmpi-dev), for the executor over
        // MPI ranks. A target of its own so that users of `Multiprocessing` need no MPI.
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "mpi", providers: [.apt(["libopenmpi-dev"])]),
        // MPIPoolExecutor / MPICommExecutor (mpi4py.futures) over CMPI, with the library's RemoteFunction and errors.
        .target(name: "MultiprocessingMPI", dependencies: ["Multiprocessing", "CMPI", "CShim"]),
        // The only way from PyLang to the library's Pool and ProcessPoolExecutor, whose handler threads must never
        // retain or release an object that PyLang's code does (see the rule below and PoolBridge.swift). Built with
        // atomic reference counting, and without cross-module optimization, so none of its code is inlined into
        // PyLang: what it wraps is retained and released only by atomic code.
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
        // The mpsh language (a Python subset), its multiprocessing binding and the shell, over the library's public
        // API. (Step 1 of giving the language a target of its own: the binding and the shell move out next, into a
        // target of theirs that depends on this one.)
        //
        // Compiled with non-atomic reference counting (`-assume-single-threaded`): its retains and releases are a
        // plain load-add-store instead of a locked read-modify-write, as CPython's reference counts are. Measured on
        // 2 vCPUs (user CPU, medians of 5): richards 0.66 -> 0.45 s, float 1.00 -> 0.71, nbody 1.61 -> 1.17, chaos
        // 0.77 -> 0.65. Correct while no object that PyLang's code retains or releases is retained or released by
        // another thread at the same time. PyLang's own code keeps that rule: it starts no thread (`withLargeStack`
        // joins its pthread) and reaches the pool and the executor only through PoolBridge's handles (see
        // PoolBridge.swift); SingleThreadRuleTests checks both.
        //
        // The linker could break it: compiler-generated shared functions (outlined copies of enums and strings,
        // generic specializations such as `Array.append(contentsOf:)`) are emitted under one name in every module
        // that uses them and merged at link time, so the library's pool threads would run PyLang's non-atomic copy
        // if it won. The linker keeps the first definition it reads, and SwiftPM passes the objects sorted by
        // target name: hence this target's name, which sorts after Multiprocessing and PoolBridge (what sorts after
        // it — TestSupport, mpsh — starts no threads). scripts/link/check-atomic-rc.py verifies the release
        // executable after every CI build: every function PyLang shares with the library resolves to the library's
        // atomic copy, or CI fails.
        .target(name: "PyLang", dependencies: ["Multiprocessing", "PoolBridge", "CShim", "CGmp", "CPyLib", "CModules"],
                swiftSettings: [.unsafeFlags(["-Xfrontend", "-assume-single-threaded"])]),
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
            "PyLang", "CReadline",
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
        // mpsh with mpi4py (mpi4py.MPI, mpi4py.futures, get_context('mpi')), dynamically linked: libmpi is a shared
        // library, and the release `mpsh` stays one static executable without MPI. PyLang's mpi4py modules reach
        // MPI through its `MPIRuntime` protocol, implemented here over MultiprocessingMPI.
        // (The target is named MPIShell, the product mpsh-mpi: the target's objects must come before PyLang's on the
        // link line — the MPI executor's thread runs its code — and SwiftPM orders them by target name.)
        .executableTarget(name: "MPIShell", dependencies: ["PyLang", "MultiprocessingMPI", "Multiprocessing", "PoolBridge"],
                          path: "Sources/mpsh-mpi", swiftSettings: [.unsafeFlags(["-Xfrontend", "-disable-cmo"])]),
        // Benchmarks, side by side with CPython (../shared/bench/python): `swift run -c release mpbench --help`.
        // The C baseline of `mpbench ring-paths`: a minimal SPSC ring with batched publishing.
        .target(name: "CRingBench", path: "Sources/CRingBench", cSettings: cWarnings),
        .executableTarget(name: "mpbench", dependencies: [
            "Multiprocessing", "CShim", "CRingBench",
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

        // The program the MPI tests run under mpirun (Tests/MultiprocessingMPITests).
        .executableTarget(name: "mpi-selftest", dependencies: ["MultiprocessingMPI", "Multiprocessing"],
                          path: "Tests/Tools/MPISelfTest"),

        .testTarget(name: "CShimTests", dependencies: ["CShim", "TestSupport"]),
        // SeedExamples/ holds the tutorials' Python programs that the examples are checked against.
        .testTarget(name: "MultiprocessingTests", dependencies: ["Multiprocessing", "CShim", "MPExamples", "TestSupport"],
                    exclude: ["SeedExamples"]),
        // Corpus/ holds the differential programs, read at test time (python3 gives the expected output);
        // CorpusPending/ the programs that wait for a gap to close (no runner reads it).
        .testTarget(name: "MPShellTests", dependencies: ["PyLang", "TestSupport"], exclude: ["Corpus", "CorpusPending", "MPCorpus"]),
        // Runs the built `mpsh` (next to the test bundle): batch runs, and the shell through a pseudo-terminal;
        // plus the shell's pure parts (chunk parser, quick-command translator) directly.
        // MPI jobs (mpirun -n 4 of mpi-selftest, a singleton that spawns, MPICommExecutor); skipped without mpirun.
        // MPICorpus/ holds mpi4py programs run by mpsh-mpi and by CPython + mpi4py (outputs compared).
        .testTarget(name: "MultiprocessingMPITests", dependencies: ["TestSupport"], exclude: ["MPICorpus"]),
        .testTarget(name: "MPShellE2ETests", dependencies: ["PyLang", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
