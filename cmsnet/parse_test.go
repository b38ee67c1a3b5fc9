package cmsnet

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParseErrors covers the decoder: every error has a stable code, the
// sentinel, a path and a line:column in the source, for YAML and JSON.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		format   Format
		src      string
		sentinel error
		code     string
		path     string
		line     int
		col      int
	}{
		{"yaml syntax", FormatYAML, "version: 1\npublications: [\n", ErrSyntax, "syntax", "", 2, 1},
		{"json syntax", FormatJSON, "{\"version\": 1,\n \"grants\": [}\n", ErrSyntax, "syntax", "", 2, 13},
		{"json trailing data", FormatJSON, "{\"version\": 1} {}", ErrSyntax, "syntax", "", 1, 17},
		{"empty", FormatYAML, "", ErrSyntax, "syntax", "", 1, 1},
		{"two documents", FormatYAML, "version: 1\n---\nversion: 1\n", ErrSyntax, "syntax", "", 2, 1},
		{"alias", FormatYAML, "version: &v 1\ngroups: [{id: a, members: *v}]\n", ErrSyntax, "syntax", "", 2, 27},
		{"custom tag", FormatYAML, "version: !thing 1\n", ErrSyntax, "syntax", "", 1, 10},
		{"unknown field json", FormatJSON, "{\"version\": 1,\n  \"publications\": [{\"service\": \"a\", \"colour\": 1}]}",
			ErrUnknownField, "unknown-field", "publications[0].colour", 2, 37},
		{"duplicate key", FormatJSON, `{"version": 1, "version": 1}`, ErrDuplicate, "duplicate", "version", 1, 16},
		{"version missing", FormatYAML, "entities: []\n", ErrMissing, "missing-field", "version", 1, 1},
		{"version 2", FormatYAML, "version: 2\n", ErrVersion, "unsupported-version", "version", 1, 10},
		{"port type", FormatYAML, "version: 1\npublications:\n- service: s\n  owner: o\n  hosting: ndc\n  environments:\n  - environment: cms\n    access: public\n    addresses: [10.0.0.1]\n    endpoints: [{protocol: tcp, port: \"443\"}]\n",
			ErrType, "invalid-value", "publications[0].environments[0].endpoints[0].port", 10, 39},
		{"port range", FormatJSON, `{"version":1,"publications":[{"service":"s","owner":"o","hosting":"ndc","environments":[{"environment":"cms","access":"public","addresses":["10.0.0.1"],"endpoints":[{"protocol":"tcp","port":70000}]}]}]}`,
			ErrType, "invalid-value", "publications[0].environments[0].endpoints[0].port", 1, 191},
		{"host bits", FormatYAML, "version: 1\nentities:\n- {id: a, connection: kivs, prefixes: [10.1.2.3/8]}\n",
			ErrType, "invalid-value", "entities[0].prefixes[0]", 3, 40},
		{"bad enum", FormatYAML, "version: 1\nentities:\n- {id: a, connection: carrier-pigeon, prefixes: [10.0.0.0/8]}\n",
			ErrType, "invalid-value", "entities[0].connection", 3, 23},
		{"grant service list", FormatYAML, "version: 1\ngrants:\n- id: g\n  service: [a, b]\n",
			ErrGrantServices, "grant-services", "grants[0].service", 4, 12},
		{"not a mapping", FormatYAML, "- 1\n", ErrType, "invalid-value", "", 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.src), tc.format, Config{})
			require.ErrorIs(t, err, tc.sentinel)
			var list ErrorList
			require.ErrorAs(t, err, &list)
			var e *Error
			for _, x := range list {
				if x.Code == tc.code {
					e = x
					break
				}
			}
			require.NotNil(t, e, list.Error())
			require.Equal(t, tc.path, e.Path)
			require.Equal(t, [2]int{tc.line, tc.col}, [2]int{e.Line, e.Column}, list.Pretty("src"))
		})
	}
}

func TestParseLimits(t *testing.T) {
	for _, tc := range []struct {
		name   string
		limits Limits
		src    string
	}{
		{"bytes", Limits{MaxBytes: 10}, "version: 1\nentities: []\n"},
		{"depth", Limits{MaxDepth: 3}, "version: 1\nentities: [{id: a, prefixes: [10.0.0.0/8]}]\n"},
		{"nodes", Limits{MaxNodes: 5}, "version: 1\nentities: [{id: a, prefixes: [10.0.0.0/8]}]\n"},
		{"items", Limits{MaxItems: 1}, "version: 1\ngroups: [{id: a, members: []}, {id: b, members: []}]\n"},
		{"string", Limits{MaxStringBytes: 3}, "version: 1\ngroups: [{id: abcdef, members: []}]\n"},
		{"json depth", Limits{MaxDepth: 4}, `{"version": 1, "groups": [{"id": "a", "members": [[[[1]]]]}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.src), FormatAuto, Config{Limits: tc.limits})
			require.ErrorIs(t, err, ErrTooLarge)
		})
	}
}

// TestYAMLAndJSONAgree checks both front-ends build the same model.
func TestYAMLAndJSONAgree(t *testing.T) {
	y := "version: 1\nentities:\n  - id: a\n    connection: kivs\n    agencySystem: true\n    prefixes: [10.0.0.0/8, 'fd00::/8']\n"
	j := `{"version": 1, "entities": [{"id": "a", "connection": "kivs", "agencySystem": true, "prefixes": ["10.0.0.0/8", "fd00::/8"]}]}`
	dy, err := Parse([]byte(y), FormatAuto, Config{})
	require.NoError(t, err)
	dj, err := Parse([]byte(j), FormatAuto, Config{})
	require.NoError(t, err)
	dy.pos, dj.pos = nil, nil
	require.Equal(t, dy, dj)
}

func TestErrorRendering(t *testing.T) {
	src := "version: 1\nentities:\n\t- {id: a}\n"
	_, err := Load([]byte(strings.ReplaceAll(src, "\t", "  ")), FormatYAML, Config{})
	var list ErrorList
	require.ErrorAs(t, err, &list)
	require.NotEmpty(t, list)
	e := list[0]
	require.Equal(t, "entities[0].connection", e.Path)
	require.Equal(t, `cmsnet: entities[0].connection (3:5): field "connection" is required [missing-field]`, e.Error())
	require.Equal(t, "f.yaml:3:5: entities[0].connection: field \"connection\" is required [missing-field]\n    - {id: a}\n      ^\n", e.Pretty("f.yaml"))
	require.Len(t, list.Unwrap(), len(list))
}

func TestPositionsCountCharacters(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format Format
		src    string
	}{
		{"yaml", FormatYAML, "version: 1\ngroups: [{id: \"čšž\", members: [], colour: 1}]\n"},
		{"json", FormatJSON, "{\"version\": 1,\n\"groups\": [{\"id\": \"čšž\", \"members\": [], \"colour\": 1}]}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load([]byte(tc.src), tc.format, Config{})
			var list ErrorList
			require.ErrorAs(t, err, &list)
			e := list[0]
			require.Equal(t, "groups[0].colour", e.Path)
			line := strings.Split(tc.src, "\n")[1]
			want := len([]rune(line[:strings.Index(line, "colour")])) // 0-based rune index of the key
			if tc.format == FormatJSON {
				want-- // the opening quote
			}
			require.Equal(t, want+1, e.Column)
			caret := strings.Split(e.Excerpt, "\n")[1]
			require.Equal(t, strings.Repeat(" ", want+2)+"^", caret) // two-space indent, then the caret
		})
	}
}

// TestManyErrorsOnOneLine checks a minified descriptor with thousands of
// errors: the list is capped, and excerpts show a window around the column.
func TestManyErrorsOnOneLine(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"version": 1, "entities": [{"id": "a", "connection": "kivs", "prefixes": [`)
	for i := range 3000 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`"10.0.0.1/8"`)
	}
	b.WriteString(`]}]}`)
	_, err := Load([]byte(b.String()), FormatJSON, Config{Limits: Limits{MaxErrors: 50}})
	var list ErrorList
	require.ErrorAs(t, err, &list)
	require.Len(t, list, 51)
	require.Equal(t, "too-many-errors", list[50].Code)
	require.ErrorIs(t, list[50], ErrTooLarge)
	e := list[40]
	require.Equal(t, "entities[0].prefixes[40]", e.Path)
	lines := strings.Split(e.Excerpt, "\n")
	caret := strings.Index(lines[1], "^")
	require.True(t, strings.HasPrefix(lines[0], "  ..."))
	require.Equal(t, `"10.0.0.1/8"`, lines[0][caret:caret+12])
	require.LessOrEqual(t, len(lines[0]), maxExcerpt+8)
}

// TestYAMLNodeBound checks the pre-parse estimate is an upper bound on real
// descriptors and refuses a flood of tiny values before yaml.v3 sees it.
func TestYAMLNodeBound(t *testing.T) {
	for _, src := range [][]byte{mustRead(t, "broker.yaml"), mustRead(t, "bad.yaml"), mustRead(t, "registry.json"),
		syntheticYAML(100, 1000), []byte("a"), []byte("{a: [b, c], d: {e: f}}"), []byte("- - - x\n  - y\n")} {
		b := yamlNodeBound(src)
		_, perr := parseYAML(src, treeLimits{maxDepth: 100, maxNodes: b})
		if perr != nil {
			require.NotErrorIs(t, perr, ErrTooLarge)
		}
	}
	flood := []byte("{\"version\": 1, \"groups\": [" + strings.Repeat("1,", 1<<20) + "1]}")
	_, err := Parse(flood, FormatYAML, Config{})
	require.ErrorIs(t, err, ErrTooLarge)
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}
