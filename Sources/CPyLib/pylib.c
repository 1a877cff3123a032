// The standard modules mpsh writes in Python (`python/*.py`, our own code with CPython's names and messages),
// embedded in the binary with C23's `#embed`.
//
// Why in C: `#embed` puts a file's bytes into the program at build time; Swift has no counterpart, and a generated
// Swift copy of every module would keep two texts of each in the repository.
#include "cpylib.h"

#include <stddef.h>
#include <string.h>

#pragma clang diagnostic ignored "-Wc23-extensions"
static const char future__py[] = {
#embed "python/__future__.py"
    , 0};
static const char abc_py[] = {
#embed "python/abc.py"
    , 0};
static const char bisect_py[] = {
#embed "python/bisect.py"
    , 0};
static const char collections_abc_py[] = {
#embed "python/collections.abc.py"
    , 0};
static const char contextlib_py[] = {
#embed "python/contextlib.py"
    , 0};
static const char copy_py[] = {
#embed "python/copy.py"
    , 0};
static const char fractions_py[] = {
#embed "python/fractions.py"
    , 0};
static const char gc_py[] = {
#embed "python/gc.py"
    , 0};
static const char heapq_py[] = {
#embed "python/heapq.py"
    , 0};
static const char io_py[] = {
#embed "python/io.py"
    , 0};
static const char keyword_py[] = {
#embed "python/keyword.py"
    , 0};
static const char numbers_py[] = {
#embed "python/numbers.py"
    , 0};
static const char operator_py[] = {
#embed "python/operator.py"
    , 0};
static const char pprint_py[] = {
#embed "python/pprint.py"
    , 0};
static const char statistics_py[] = {
#embed "python/statistics.py"
    , 0};
static const char textwrap_py[] = {
#embed "python/textwrap.py"
    , 0};
static const char types_py[] = {
#embed "python/types.py"
    , 0};
static const char typing_py[] = {
#embed "python/typing.py"
    , 0};
static const char array_py[] = {
#embed "python/array.py"
    , 0};
static const char fnmatch_py[] = {
#embed "python/fnmatch.py"
    , 0};
static const char glob_py[] = {
#embed "python/glob.py"
    , 0};
static const char shutil_py[] = {
#embed "python/shutil.py"
    , 0};
static const char tempfile_py[] = {
#embed "python/tempfile.py"
    , 0};
static const char pathlib_py[] = {
#embed "python/pathlib.py"
    , 0};
static const char enum_py[] = {
#embed "python/enum.py"
    , 0};
static const char _dataclasses_py[] = {
#embed "python/_dataclasses.py"
    , 0};
static const char copyreg_py[] = {
#embed "python/copyreg.py"
    , 0};
static const char pickle_py[] = {
#embed "python/pickle.py"
    , 0};
static const char secrets_py[] = {
#embed "python/secrets.py"
    , 0};
static const char uuid_py[] = {
#embed "python/uuid.py"
    , 0};
static const char ctypes_py[] = {
#embed "python/ctypes.py"
    , 0};
static const char subprocess_py[] = {
#embed "python/subprocess.py"
    , 0};
static const char argparse_py[] = {
#embed "python/argparse.py"
    , 0};
static const char csv_py[] = {
#embed "python/csv.py"
    , 0};
static const char atexit_py[] = {
#embed "python/atexit.py"
    , 0};
static const char string_py[] = {
#embed "python/string.py"
    , 0};
static const char stat_py[] = {
#embed "python/stat.py"
    , 0};
static const char _functools_py[] = {
#embed "python/_functools.py"
    , 0};
static const char decimal_py[] = {
#embed "python/decimal.py"
    , 0};
static const char xml_py[] = {
#embed "python/xml.py"
    , 0};
static const char xml_etree_py[] = {
#embed "python/xml.etree.py"
    , 0};
static const char xml_etree_ElementTree_py[] = {
#embed "python/xml.etree.ElementTree.py"
    , 0};
static const char importlib_py[] = {
#embed "python/importlib.py"
    , 0};

static const struct { const char *name; const char *source; } modules[] = {
    {"__future__", future__py},
    {"abc", abc_py},
    {"bisect", bisect_py},
    {"collections.abc", collections_abc_py},
    {"contextlib", contextlib_py},
    {"copy", copy_py},
    {"fractions", fractions_py},
    {"gc", gc_py},
    {"heapq", heapq_py},
    {"io", io_py},
    {"keyword", keyword_py},
    {"numbers", numbers_py},
    {"operator", operator_py},
    {"pprint", pprint_py},
    {"statistics", statistics_py},
    {"textwrap", textwrap_py},
    {"types", types_py},
    {"typing", typing_py},
    {"array", array_py},
    {"fnmatch", fnmatch_py},
    {"glob", glob_py},
    {"shutil", shutil_py},
    {"tempfile", tempfile_py},
    {"pathlib", pathlib_py},
    {"enum", enum_py},
    {"_dataclasses", _dataclasses_py},
    {"copyreg", copyreg_py},
    {"pickle", pickle_py},
    {"secrets", secrets_py},
    {"uuid", uuid_py},
    {"ctypes", ctypes_py},
    {"subprocess", subprocess_py},
    {"argparse", argparse_py},
    {"csv", csv_py},
    {"atexit", atexit_py},
    {"string", string_py},
    {"stat", stat_py},
    {"_functools", _functools_py},
    {"decimal", decimal_py},
    {"xml", xml_py},
    {"xml.etree", xml_etree_py},
    {"xml.etree.ElementTree", xml_etree_ElementTree_py},
    {"importlib", importlib_py},
};

const char *_Nullable cpylib_module_source(const char *_Nonnull name) {
    for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++) {
        if (strcmp(modules[i].name, name) == 0) return modules[i].source;
    }
    return NULL;
}
