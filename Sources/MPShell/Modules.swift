// The plain modules: registry and the builders for sys, os, time, signal, math, random, itertools, functools,
// re, logging, urllib.parse, collections, string.
extension Interpreter {
    func registerStandardModules() {
    }
}
