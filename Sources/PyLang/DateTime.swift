// The `datetime` module: naive `datetime`, `date` and `timedelta` with arithmetic, comparison, str/repr,
// isoformat and strftime. Mirrors CPython's `Lib/datetime.py` (no time zones).
import Foundation

/// Days since 0001-01-01 (proleptic Gregorian), as `date.toordinal() - 1`.
func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
    let yy = m <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let mp = (m + 9) % 12
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468 + 719162   // shift the 1970 epoch to 0001-01-01
}

func civilFromDays(_ n: Int) -> (Int, Int, Int) {
    let z = n - 719162 + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
}

/// A datetime, date or timedelta as microseconds (since 0001-01-01 for points in time).
final class TimePayload {
    enum Kind { case datetime, date, delta }
    let kind: Kind
    let us: Int
    init(_ k: Kind, _ us: Int) { kind = k; self.us = us }
    static let day = 86_400_000_000
    var fields: (y: Int, m: Int, d: Int, h: Int, mi: Int, s: Int, us: Int) {
        let days = us >= 0 ? us / TimePayload.day : (us - TimePayload.day + 1) / TimePayload.day
        let rest = us - days * TimePayload.day
        let (y, m, d) = civilFromDays(days)
        return (y, m, d, rest / 3_600_000_000, rest / 60_000_000 % 60, rest / 1_000_000 % 60, rest % 1_000_000)
    }
}

extension Interpreter {
    func makeDateTime() -> PyModule {
        let m = PyModule(name: "datetime")
        var dtClass: PyClass! = nil, dateClass: PyClass! = nil, tdClass: PyClass! = nil
        func make(_ c: PyClass, _ p: TimePayload) -> Value {
            let inst = PyInstance(c)
            inst.payload = p
            if p.kind != .delta {
                let f = p.fields
                inst.dict["year"] = .int(f.y); inst.dict["month"] = .int(f.m); inst.dict["day"] = .int(f.d)
                if p.kind == .datetime {
                    inst.dict["hour"] = .int(f.h); inst.dict["minute"] = .int(f.mi)
                    inst.dict["second"] = .int(f.s); inst.dict["microsecond"] = .int(f.us)
                }
            } else {
                let days = p.us >= 0 ? p.us / TimePayload.day : (p.us - TimePayload.day + 1) / TimePayload.day
                let rest = p.us - days * TimePayload.day
                inst.dict["days"] = .int(days); inst.dict["seconds"] = .int(rest / 1_000_000); inst.dict["microseconds"] = .int(rest % 1_000_000)
            }
            return .obj(inst)
        }
        func pay(_ v: Value) -> TimePayload? {
            if case .obj(let i as PyInstance) = v { return i.payload as? TimePayload }
            return nil
        }
        func num(_ i: Interpreter, _ v: Value?) throws -> Double { try v.map { try i.toDouble($0) } ?? 0 }
        func nowMicros(utc: Bool) -> Int {
            let ns = clockNanos()
            var t = time_t(ns / 1_000_000_000)
            var tmv = tm()
            if utc { gmtime_r(&t, &tmv) } else { localtime_r(&t, &tmv) }
            let days = daysFromCivil(Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1, Int(tmv.tm_mday))
            return days * TimePayload.day + (Int(tmv.tm_hour) * 3600 + Int(tmv.tm_min) * 60 + Int(tmv.tm_sec)) * 1_000_000 + Int(ns % 1_000_000_000) / 1000
        }
        func fromFields(_ i: Interpreter, _ a: [Value], _ kw: [(String, Value)], _ names: [String]) throws -> [Int] {
            let args = Args(a, kw, "datetime")
            return try names.enumerated().map { k, n in
                guard let v = args.get(k, n) else {
                    if k < 3 { throw i.typeError("function missing required argument '\(n)' (pos \(k + 1))") }
                    return 0
                }
                return try i.intArg(v)
            }
        }
        func validate(_ i: Interpreter, _ f: [Int]) throws {
            if f[0] < 1 || f[0] > 9999 { throw i.err("ValueError", "year \(f[0]) is out of range") }
            if f[1] < 1 || f[1] > 12 { throw i.err("ValueError", "month must be in 1..12") }
            let dim = [31, (f[0] % 4 == 0 && (f[0] % 100 != 0 || f[0] % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][f[1] - 1]
            if f[2] < 1 || f[2] > dim { throw i.err("ValueError", "day is out of range for month") }
            if f.count > 3 {
                if f[3] < 0 || f[3] > 23 { throw i.err("ValueError", "hour must be in 0..23") }
                if f[4] < 0 || f[4] > 59 { throw i.err("ValueError", "minute must be in 0..59") }
                if f[5] < 0 || f[5] > 59 { throw i.err("ValueError", "second must be in 0..59") }
                if f[6] < 0 || f[6] > 999_999 { throw i.err("ValueError", "microsecond must be in 0..999999") }
            }
        }
        func strftime(_ p: TimePayload, _ fmt: String) -> String {
            let f = p.fields
            var t = tm()
            t.tm_year = Int32(f.y - 1900); t.tm_mon = Int32(f.m - 1); t.tm_mday = Int32(f.d)
            t.tm_hour = Int32(f.h); t.tm_min = Int32(f.mi); t.tm_sec = Int32(f.s)
            let days = daysFromCivil(f.y, f.m, f.d)
            t.tm_wday = Int32((days + 1) % 7)
            t.tm_yday = Int32(days - daysFromCivil(f.y, 1, 1))
            t.tm_isdst = -1
            let fmt2 = fmt.replacingOccurrences(of: "%f", with: String(format: "%06d", f.us))
            var buf = [Int8](repeating: 0, count: 512)
            let n = Foundation.strftime(&buf, 512, fmt2, &t)
            return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        func isoformat(_ p: TimePayload, _ sep: String) -> String {
            let f = p.fields
            var s = String(format: "%04d-%02d-%02d", f.y, f.m, f.d)
            if p.kind == .datetime {
                s += sep + String(format: "%02d:%02d:%02d", f.h, f.mi, f.s)
                if f.us != 0 { s += String(format: ".%06d", f.us) }
            }
            return s
        }
        func deltaStr(_ us: Int) -> String {
            let days = us >= 0 ? us / TimePayload.day : (us - TimePayload.day + 1) / TimePayload.day
            let rest = us - days * TimePayload.day
            var s = String(format: "%d:%02d:%02d", rest / 3_600_000_000, rest / 60_000_000 % 60, rest / 1_000_000 % 60)
            if rest % 1_000_000 != 0 { s += String(format: ".%06d", rest % 1_000_000) }
            if days != 0 { s = "\(days) day\(abs(days) == 1 ? "" : "s"), " + s }
            return s
        }
        func compare(_ name: String) -> NativeFn {
            return { i, a, _ in try i.need(a, 2, "function");
                guard let x = pay(a[0]), let y = pay(a[1]), x.kind == y.kind else {
                    if name == "__eq__" { return .bool(false) }
                    if name == "__ne__" { return .bool(true) }
                    throw i.typeError("can't compare \(i.typeName(a[0])) to \(i.typeName(a[1]))")
                }
                switch name {
                case "__eq__": return .bool(x.us == y.us)
                case "__ne__": return .bool(x.us != y.us)
                case "__lt__": return .bool(x.us < y.us)
                case "__le__": return .bool(x.us <= y.us)
                case "__gt__": return .bool(x.us > y.us)
                default: return .bool(x.us >= y.us)
                }
            }
        }
        var common: [String: NativeFn] = [:]
        for n in ["__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"] { common[n] = compare(n) }
        common["__hash__"] = { _, a, _ in .int(pay(a[0])?.us ?? 0) }
        var pointMethods = common
        pointMethods["strftime"] = { i, a, _ in try i.need(a, 2, "function"); return .str(strftime(pay(a[0])!, try i.strArg(a[1], "strftime"))) }
        pointMethods["isoformat"] = { i, a, kw in
            var sep = "T"
            if let s = a.count > 1 ? a[1] : kw.first(where: { $0.0 == "sep" })?.1 { sep = try i.strArg(s, "isoformat") }
            return .str(isoformat(pay(a[0])!, sep))
        }
        pointMethods["__str__"] = { _, a, _ in .str(isoformat(pay(a[0])!, " ")) }
        pointMethods["weekday"] = { _, a, _ in let f = pay(a[0])!.fields; return .int((daysFromCivil(f.y, f.m, f.d) % 7 + 7) % 7) }
        pointMethods["isoweekday"] = { _, a, _ in let f = pay(a[0])!.fields; return .int((daysFromCivil(f.y, f.m, f.d) % 7 + 7) % 7 + 1) }
        pointMethods["toordinal"] = { _, a, _ in let f = pay(a[0])!.fields; return .int(daysFromCivil(f.y, f.m, f.d) + 1) }
        pointMethods["__add__"] = { _, a, _ in
            guard let x = pay(a[0]), let y = pay(a[1]), y.kind == .delta else { return .obj(notImplemented) }
            var us = x.us + y.us
            if x.kind == .date { us -= us % TimePayload.day }
            return make(x.kind == .date ? dateClass : dtClass, TimePayload(x.kind, us))
        }
        pointMethods["__radd__"] = pointMethods["__add__"]
        pointMethods["__sub__"] = { _, a, _ in
            guard let x = pay(a[0]), let y = pay(a[1]) else { return .obj(notImplemented) }
            if y.kind == .delta { return make(x.kind == .date ? dateClass : dtClass, TimePayload(x.kind, x.us - y.us)) }
            if y.kind == x.kind { return make(tdClass, TimePayload(.delta, x.us - y.us)) }
            return .obj(notImplemented)
        }
        var dtMethods = pointMethods
        dtMethods["__repr__"] = { _, a, _ in
            let f = pay(a[0])!.fields
            var parts = [f.y, f.m, f.d, f.h, f.mi].map(String.init)
            if f.s != 0 || f.us != 0 { parts.append(String(f.s)) }
            if f.us != 0 { parts.append(String(f.us)) }
            return .str("datetime.datetime(" + parts.joined(separator: ", ") + ")")
        }
        dtMethods["date"] = { _, a, _ in let p = pay(a[0])!; return make(dateClass, TimePayload(.date, p.us - p.us % TimePayload.day)) }
        dtMethods["timestamp"] = { _, a, _ in
            let p = pay(a[0])!
            let f = p.fields
            var t = tm()
            t.tm_year = Int32(f.y - 1900); t.tm_mon = Int32(f.m - 1); t.tm_mday = Int32(f.d)
            t.tm_hour = Int32(f.h); t.tm_min = Int32(f.mi); t.tm_sec = Int32(f.s); t.tm_isdst = -1
            return .float(Double(mktime(&t)) + Double(f.us) / 1e6)
        }
        dtMethods["replace"] = { i, a, kw in try i.need(a, 1, "function");
            let f = pay(a[0])!.fields
            var v = [f.y, f.m, f.d, f.h, f.mi, f.s, f.us]
            for (k, x) in kw {
                if let idx = ["year", "month", "day", "hour", "minute", "second", "microsecond"].firstIndex(of: k) { v[idx] = try i.intArg(x) }
            }
            try validate(i, v)
            return make(dtClass, TimePayload(.datetime, daysFromCivil(v[0], v[1], v[2]) * TimePayload.day + ((v[3] * 60 + v[4]) * 60 + v[5]) * 1_000_000 + v[6]))
        }
        dtClass = nativeClass("datetime", module: "datetime", methods: dtMethods)
        dtClass.native = { i, a, kw in
            let f = try fromFields(i, a, kw, ["year", "month", "day", "hour", "minute", "second", "microsecond"])
            try validate(i, f)
            return make(dtClass, TimePayload(.datetime, daysFromCivil(f[0], f[1], f[2]) * TimePayload.day + ((f[3] * 60 + f[4]) * 60 + f[5]) * 1_000_000 + f[6]))
        }
        let nowFn: NativeFn = { _, _, _ in make(dtClass, TimePayload(.datetime, nowMicros(utc: false))) }
        dtClass.dict["now"] = .obj(PyStaticMethod(.obj(PyBuiltin("now", nowFn))))
        dtClass.dict["today"] = .obj(PyStaticMethod(.obj(PyBuiltin("today", nowFn))))
        dtClass.dict["utcnow"] = .obj(PyStaticMethod(.obj(PyBuiltin("utcnow") { _, _, _ in make(dtClass, TimePayload(.datetime, nowMicros(utc: true))) })))
        dtClass.dict["fromtimestamp"] = .obj(PyStaticMethod(.obj(PyBuiltin("fromtimestamp") { i, a, _ in try i.need(a, 1, "fromtimestamp");
            let ts = try i.toDouble(a[0])
            var t = time_t(ts.rounded(.down))
            var tmv = tm()
            localtime_r(&t, &tmv)
            let days = daysFromCivil(Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1, Int(tmv.tm_mday))
            let us = Int(((ts - ts.rounded(.down)) * 1e6).rounded())
            return make(dtClass, TimePayload(.datetime, days * TimePayload.day + (Int(tmv.tm_hour) * 3600 + Int(tmv.tm_min) * 60 + Int(tmv.tm_sec)) * 1_000_000 + us))
        })))
        var dateMethods = pointMethods
        dateMethods["__repr__"] = { _, a, _ in let f = pay(a[0])!.fields; return .str("datetime.date(\(f.y), \(f.m), \(f.d))") }
        dateClass = nativeClass("date", module: "datetime", methods: dateMethods)
        dateClass.native = { i, a, kw in
            let f = try fromFields(i, a, kw, ["year", "month", "day"])
            try validate(i, f)
            return make(dateClass, TimePayload(.date, daysFromCivil(f[0], f[1], f[2]) * TimePayload.day))
        }
        dateClass.dict["today"] = .obj(PyStaticMethod(.obj(PyBuiltin("today") { _, _, _ in
            let us = nowMicros(utc: false)
            return make(dateClass, TimePayload(.date, us - us % TimePayload.day))
        })))
        var tdMethods = common
        tdMethods["total_seconds"] = { _, a, _ in .float(Double(pay(a[0])!.us) / 1e6) }
        tdMethods["__str__"] = { _, a, _ in .str(deltaStr(pay(a[0])!.us)) }
        tdMethods["__repr__"] = { _, a, _ in
            let p = pay(a[0])!
            let days = p.us >= 0 ? p.us / TimePayload.day : (p.us - TimePayload.day + 1) / TimePayload.day
            let rest = p.us - days * TimePayload.day
            var parts: [String] = []
            if days != 0 { parts.append("days=\(days)") }
            if rest / 1_000_000 != 0 { parts.append("seconds=\(rest / 1_000_000)") }
            if rest % 1_000_000 != 0 { parts.append("microseconds=\(rest % 1_000_000)") }
            return .str("datetime.timedelta(" + (parts.isEmpty ? "0" : parts.joined(separator: ", ")) + ")")
        }
        tdMethods["__add__"] = { i, a, _ in try i.need(a, 2, "function");
            guard let x = pay(a[0]), let y = pay(a[1]) else { return .obj(notImplemented) }
            if y.kind != .delta { return try i.binop(.add, a[1], a[0]) }
            return make(tdClass, TimePayload(.delta, x.us + y.us))
        }
        tdMethods["__sub__"] = { _, a, _ in
            guard let x = pay(a[0]), let y = pay(a[1]), y.kind == .delta else { return .obj(notImplemented) }
            return make(tdClass, TimePayload(.delta, x.us - y.us))
        }
        tdMethods["__mul__"] = { i, a, _ in try i.need(a, 2, "function");
            guard let x = pay(a[0]) else { return .obj(notImplemented) }
            return make(tdClass, TimePayload(.delta, try i.scaledDelta(x.us, by: try i.toDouble(a[1]), dividing: false)))
        }
        tdMethods["__rmul__"] = tdMethods["__mul__"]
        tdMethods["__truediv__"] = { i, a, _ in try i.need(a, 2, "function");
            guard let x = pay(a[0]) else { return .obj(notImplemented) }
            if let y = pay(a[1]) {
                if y.us == 0 { throw i.err("ZeroDivisionError", "division by zero") }
                return .float(Double(x.us) / Double(y.us))
            }
            return make(tdClass, TimePayload(.delta, try i.scaledDelta(x.us, by: try i.toDouble(a[1]), dividing: true)))
        }
        tdMethods["__neg__"] = { _, a, _ in make(tdClass, TimePayload(.delta, -pay(a[0])!.us)) }
        tdMethods["__abs__"] = { _, a, _ in make(tdClass, TimePayload(.delta, abs(pay(a[0])!.us))) }
        tdMethods["__bool__"] = { _, a, _ in .bool(pay(a[0])!.us != 0) }
        tdClass = nativeClass("timedelta", module: "datetime", methods: tdMethods)
        tdClass.native = { i, a, kw in
            let args = Args(a, kw, "timedelta")
            let names = ["days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"]
            let scale: [Double] = [86_400e6, 1e6, 1, 1e3, 60e6, 3600e6, 604_800e6]
            var total = 0.0
            for (k, n) in names.enumerated() { total += try num(i, args.get(k, n)) * scale[k] }
            return make(tdClass, TimePayload(.delta, Int(total.rounded(.toNearestOrEven))))
        }
        m.set("datetime", .obj(dtClass))
        m.set("date", .obj(dateClass))
        m.set("timedelta", .obj(tdClass))
        m.set("MINYEAR", .int(1))
        m.set("MAXYEAR", .int(9999))
        return m
    }
}

extension Interpreter {
    /// A timedelta of `us` microseconds multiplied or divided by `factor`, rounded half to even, with CPython's
    /// errors where the result is no timedelta (a NaN or infinite factor, a zero divisor, out of range): these
    /// were Swift's fatal error converting a non-finite Double to Int.
    func scaledDelta(_ us: Int, by factor: Double, dividing: Bool) throws -> Int {
        if factor.isNaN { throw err("ValueError", "cannot convert NaN to integer ratio") }
        if factor.isInfinite { throw err("OverflowError", "cannot convert Infinity to integer ratio") }
        if dividing && factor == 0 { throw err("ZeroDivisionError", "integer division or modulo by zero") }
        let r = (dividing ? Double(us) / factor : Double(us) * factor).rounded(.toNearestOrEven)
        guard r.isFinite, r.magnitude < 9.2e18 else { throw err("OverflowError", "Python int too large to convert to C int") }
        let v = Int(r)
        let days = v >= 0 ? v / TimePayload.day : (v - TimePayload.day + 1) / TimePayload.day
        if days.magnitude > 999_999_999 {
            throw err("OverflowError", "days=\(days); must have magnitude <= 999999999")
        }
        return v
    }
}
