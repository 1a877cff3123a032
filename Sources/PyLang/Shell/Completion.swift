// Tab completion: keywords, quick commands (as the first word), names in scope, attributes after a dot.
// Only looks values up (module globals, attributes); never calls user code.

extension Shell {
    /// The completions of `word` (the text before the cursor back to a blank or bracket), given the line so far
    /// before it (`before`).
    public func completions(of word: String, before: String) -> [String] {
        let firstWord = before.trimmingCharacters(in: " \t").isEmpty
        if let dot = word.lastIndex(of: ".") {
            let base = String(word[..<dot]), partial = String(word[word.index(after: dot)...])
            guard let obj = lookUp(dotted: base) else { return [] }
            return attributes(of: obj).filter { $0.hasPrefix(partial) && (partial.hasPrefix("_") || !$0.hasPrefix("_")) }
                .map { base + "." + $0 }
        }
        var names = Set(Parser.keywords)
        names.formUnion(main.globals.compactMap { $0.value.value == nil ? nil : $0.key })
        names.formUnion(interp.builtins.keys)
        names.formUnion(QuickCommands.builtinFunctions)
        if firstWord { names.formUnion(QuickCommands.names) }
        // `help T<Tab>` completes topics
        if before.trimmingCharacters(in: " \t") == "help" { names.formUnion(ShellHelp.topics.map(\.name)) }
        let hidden = word.hasPrefix("_")
        return names.filter { $0.hasPrefix(word) && (hidden || !$0.hasPrefix("_")) }.sorted()
    }

    /// A dotted name's value (`multiprocessing.connection`), looking through module globals and attributes only.
    func lookUp(dotted: String) -> Value? {
        let parts = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let head = parts.first, QuickCommands.isIdentifier(head) else { return nil }
        guard var v = main.get(head) ?? interp.builtins[head] else { return nil }
        for p in parts.dropFirst() {
            guard QuickCommands.isIdentifier(p), let next = try? interp.getAttr(v, p) else { return nil }
            v = next
        }
        return v
    }

    func attributes(of v: Value) -> [String] {
        var names: Set<String> = []
        switch v {
        case .obj(let m as PyModule): names.formUnion(m.globals.compactMap { $0.value.value == nil ? nil : $0.key })
        case .obj(let o as PyInstance):
            names.formUnion(o.dict.keys)
            for c in o.cls.mro { names.formUnion(c.dict.keys) }
        case .obj(let c as PyClass): for k in c.mro { names.formUnion(k.dict.keys) }
        default:
            names.formUnion(interp.typeOf(v).mro.flatMap { $0.dict.keys })
        }
        return names.sorted()
    }
}
