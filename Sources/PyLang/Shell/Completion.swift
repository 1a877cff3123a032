// Tab completion: keywords, quick commands (as the first word), names in scope, attributes after a dot.
// Only looks values up (module globals, attributes); never calls user code.
import CPyLib

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
        if let names = importCompletions(before: before) {
            let hidden = word.hasPrefix("_")
            return names.filter { $0.hasPrefix(word) && (hidden || !$0.hasPrefix("_")) }.sorted()
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

    /// After `from M import` (and after a comma in its list): the names module M defines; after `import` or
    /// `from`: the module names known without running a user's file. nil when the line is not an import.
    /// Mirrors rlcompleter's behaviour in CPython's REPL (3.13's completes the imported names).
    func importCompletions(before: String) -> [String]? {
        let words = before.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first else { return nil }
        if first == "from", words.count >= 3, words[2] == "import" {
            guard words.count == 3 || words[words.count - 1].hasSuffix(",") else { return nil }
            guard case .obj(let m as PyModule)? = moduleForCompletion(words[1]) else { return [] }
            return m.globals.compactMap { $0.value.value == nil ? nil : $0.key }
        }
        if (first == "import" && (words.count == 1 || words[words.count - 1].hasSuffix(","))) || (first == "from" && words.count == 1) {
            return Array(Set(interp.modules.keys).union(interp.nativeModules.keys))
        }
        return nil
    }

    /// A module already imported, or a native one (built in Swift: importing it runs no Python code, and no
    /// program file can stand in for it).
    func moduleForCompletion(_ name: String) -> Value? {
        if let m = interp.modules[name] { return m }
        guard interp.nativeModules[name] != nil, cpylib_module_source(name) == nil else { return nil }
        return try? interp.importModule(name)
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
