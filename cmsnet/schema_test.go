package cmsnet

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

const schemaURL = "https://github.com/eidkit/eidkit/cmsnet/schema/descriptor-v1.schema.json"

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(SchemaV1()))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource(schemaURL, doc))
	s, err := c.Compile(schemaURL)
	require.NoError(t, err)
	return s
}

// instance reads a YAML or JSON descriptor as a JSON value.
func instance(t *testing.T, src []byte) any {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal(src, &v))
	j, err := json.Marshal(v) // YAML timestamps become RFC 3339 strings
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	require.NoError(t, err)
	return inst
}

func TestSchemaAcceptsExamples(t *testing.T) {
	s := compileSchema(t)
	for _, f := range []string{"broker.yaml", "broker-v2.yaml", "registry.json"} {
		src, err := os.ReadFile("testdata/" + f)
		require.NoError(t, err)
		require.NoError(t, s.Validate(instance(t, src)), f)
	}
	require.NoError(t, s.Validate(instance(t, syntheticYAML(20, 200))))
}

// TestSchemaAndLoaderRejectBad checks that bad descriptors fail both the
// published schema and Load.
func TestSchemaAndLoaderRejectBad(t *testing.T) {
	s := compileSchema(t)
	good, err := os.ReadFile("testdata/broker.yaml")
	require.NoError(t, err)
	bad, err := os.ReadFile("testdata/bad.yaml")
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		src  string
	}{
		{"bad.yaml", string(bad)},
		{"unknown field", strings.Replace(string(good), "hosting: ndc", "hosting: ndc\n    colour: blue", 1)},
		{"port out of range", strings.Replace(string(good), "port: 443}", "port: 70000}", 1)},
		{"grant with two services", strings.Replace(string(good), "service: broker\n    entity: tax", "service: [broker, other]\n    entity: tax", 1)},
		{"approved without approver", strings.Replace(string(good), "    approvedBy: nias-operator\n    expires", "    expires", 1)},
		{"version 2", strings.Replace(string(good), "version: 1", "version: 2", 1)},
		{"bad address", strings.Replace(string(good), "addresses: [10.1.0.10]", "addresses: [10.1.0.300]", 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.NotEqual(t, string(good), tc.src)
			require.Error(t, s.Validate(instance(t, []byte(tc.src))), "schema")
			_, err := Load([]byte(tc.src), FormatYAML, testConfig())
			var list ErrorList
			require.ErrorAs(t, err, &list, "loader")
		})
	}
}
