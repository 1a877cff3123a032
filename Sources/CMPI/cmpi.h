// MPI for Swift: the MPI library's own header, plus inline functions for what Swift cannot import from it.
//
// Why in C: MPI's predefined handles are macros. In Open MPI they are casts of the addresses of global structures
// (`MPI_COMM_WORLD` is `((MPI_Comm) &ompi_mpi_comm_world)`), in MPICH integer casts (`((MPI_Comm) 0x44000000)`);
// Swift's importer takes neither. Each function below returns the macro's value unchanged, so the Swift code is the
// same over both libraries. Everything else (MPI_Send, MPI_Comm_spawn, ...) Swift calls directly.
#pragma once
#include <mpi.h>

/// `MPI_COMM_WORLD`.
static inline MPI_Comm cmpi_comm_world(void) { return MPI_COMM_WORLD; }
/// `MPI_COMM_SELF`.
static inline MPI_Comm cmpi_comm_self(void) { return MPI_COMM_SELF; }
/// `MPI_COMM_NULL`.
static inline MPI_Comm cmpi_comm_null(void) { return MPI_COMM_NULL; }
/// `MPI_INFO_NULL`.
static inline MPI_Info cmpi_info_null(void) { return MPI_INFO_NULL; }
/// `MPI_BYTE`.
static inline MPI_Datatype cmpi_byte(void) { return MPI_BYTE; }
/// `MPI_INT`.
static inline MPI_Datatype cmpi_int(void) { return MPI_INT; }
/// `MPI_INT64_T`.
static inline MPI_Datatype cmpi_int64(void) { return MPI_INT64_T; }
/// `MPI_DOUBLE`.
static inline MPI_Datatype cmpi_double(void) { return MPI_DOUBLE; }
/// `MPI_SUM`.
static inline MPI_Op cmpi_op_sum(void) { return MPI_SUM; }
/// `MPI_PROD`.
static inline MPI_Op cmpi_op_prod(void) { return MPI_PROD; }
/// `MPI_MAX`.
static inline MPI_Op cmpi_op_max(void) { return MPI_MAX; }
/// `MPI_MIN`.
static inline MPI_Op cmpi_op_min(void) { return MPI_MIN; }
/// `MPI_ERRORS_RETURN`: errors come back as codes (our funnel turns them into `MPIError`) instead of aborting.
static inline MPI_Errhandler cmpi_errors_return(void) { return MPI_ERRORS_RETURN; }
/// `MPI_STATUS_IGNORE`.
static inline MPI_Status *_Nullable cmpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
/// `MPI_ERRCODES_IGNORE`.
static inline int *_Nullable cmpi_errcodes_ignore(void) { return MPI_ERRCODES_IGNORE; }
/// `MPI_ANY_SOURCE`, `MPI_ANY_TAG`, `MPI_MAX_PROCESSOR_NAME`, `MPI_MAX_ERROR_STRING`: plain integers, but
/// `MPI_MAX_PROCESSOR_NAME` is itself defined through another macro in Open MPI.
static inline int cmpi_any_source(void) { return MPI_ANY_SOURCE; }
static inline int cmpi_any_tag(void) { return MPI_ANY_TAG; }
static inline int cmpi_max_processor_name(void) { return MPI_MAX_PROCESSOR_NAME; }
static inline int cmpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
/// `MPI_ROOT` (the root's own value in an intercommunicator collective), `MPI_PROC_NULL`.
static inline int cmpi_root(void) { return MPI_ROOT; }
