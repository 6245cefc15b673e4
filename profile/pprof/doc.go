// Package pprof converts between hotspot's call-tree model and pprof's
// profile.proto (github.com/google/pprof/profile), and reads and writes
// pprof files. It is the only package of the module that imports pprof.
//
// Reading: Read takes gzip-compressed or raw protobuf, decodes it with
// pprof's protobuf decoder only (never pprof's legacy text parsers), checks
// it with CheckValid, and converts it with FromPprof. Samples, most of a
// large profile, skip pprof's decoder: pprof decodes the rest, and each
// sample goes from the bytes straight into the model (stream.go), with the
// same result; anything unusual takes the full path. When pprof refuses a
// profile, Read walks the encoding itself to name the record and byte at
// fault ("sample[3].location_id[1]: location id 99 is not defined").
//
// Writing: ToPprof and Write produce a profile that FromPprof reads back
// into an equal model; where pprof has no field for a model fact, it is
// kept in a "hotspot:" comment (see annotations.go). Labels that are not
// pid, tid, comm or thread travel in Labels.Extra in the form EncodeExtra
// documents.
package pprof
