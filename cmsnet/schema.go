package cmsnet

import _ "embed"

// schemaV1 is the JSON Schema (draft 2020-12) of descriptor version 1,
// published as schema/descriptor-v1.schema.json. It checks structure; the
// semantic rules of C1-C8 (address spaces, overlaps, approvals) are
// checked by Compile.
//
//go:embed schema/descriptor-v1.schema.json
var schemaV1 []byte

// SchemaV1 returns a copy of the version 1 JSON Schema.
func SchemaV1() []byte { return append([]byte(nil), schemaV1...) }
