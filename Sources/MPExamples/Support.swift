import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

/// A Python value as the tutorials send them through queues and pipes (`[42, None, 'hello']`, `'DONE'`):
/// Codable, and printed exactly as Python's `repr` prints it.
enum PyValue: Codable, Equatable, CustomStringConvertible {
    case none
    case int(Int)
    case str(String)
    case list([PyValue])
    case tuple([PyValue])

    var description: String {
        switch self {
        case .none: return "None"
        case let .int(value): return String(value)
        case let .str(value): return pythonRepr(value)
        case let .list(items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case let .tuple(items) where items.count == 1: return "(" + items[0].description + ",)"
        case let .tuple(items): return "(" + items.map(\.description).joined(separator: ", ") + ")"
        }
    }
}

/// Python's `repr(str)`: single quotes unless the text has a single quote and no double one.
func pythonRepr(_ text: String) -> String {
    let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
    var out = String(quote)
    for character in text {
        switch character {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case quote: out += "\\" + String(quote)
        default: out.append(character)
        }
    }
    out.append(quote)
    return out
}

/// Python's `str(bool)`: `True` / `False`.
func py(_ flag: Bool) -> String { flag ? "True" : "False" }

/// The environment variable that scales every `time.sleep` of the examples (default 1). The seed tests set it,
/// and patch CPython's `time.sleep` the same way, to run the examples that sleep for many seconds in a fraction
/// of that time: the programs' logic and output are unchanged.
let timeScaleVariable = "MP_EXAMPLES_TIME_SCALE"

/// Mirrors `time.sleep(seconds)`, scaled by `MP_EXAMPLES_TIME_SCALE`.
func sleep(seconds: Double) {
    var scale = 1.0
    if let text = getenv(timeScaleVariable), let value = Double(String(cString: text)), value >= 0 { scale = value }
    let total = seconds * scale
    var request = timespec(tv_sec: Int(total), tv_nsec: Int((total - Double(Int(total))) * 1e9))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// Mirrors `time.time()`: seconds since the epoch, as a Double.
func time() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Mirrors `os.getpid()` and `os.getppid()`.
func osGetpid() -> Int32 { getpid() }
func osGetppid() -> Int32 { getppid() }
