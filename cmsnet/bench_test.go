package cmsnet

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// BenchmarkDecide measures flow decisions on a descriptor with 1,000
// grants and 10,000 grant prefixes (issue 5: >= 1,000,000 per second).
func BenchmarkDecide(b *testing.B) {
	p, _ := synthetic(b, 1000, 10000)
	flows := syntheticFlows(4096, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p.Decide(flows[i&4095])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
}

// BenchmarkLoadYAML measures parsing, validating, compiling and testing the
// same descriptor (issue 5: under 1 s).
func BenchmarkLoadYAML(b *testing.B) {
	src := syntheticYAML(1000, 10000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Load(src, FormatYAML, testConfig()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadJSON is BenchmarkLoadYAML with the descriptor in JSON.
func BenchmarkLoadJSON(b *testing.B) {
	var v any
	require.NoError(b, yaml.Unmarshal(syntheticYAML(1000, 10000), &v))
	src, err := json.Marshal(v)
	require.NoError(b, err)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Load(src, FormatJSON, testConfig()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDiff measures a semantic diff of two large descriptors.
func BenchmarkDiff(b *testing.B) {
	p1, _ := synthetic(b, 1000, 10000)
	p2, _ := synthetic(b, 999, 9990)
	for b.Loop() {
		if len(Diff(p1, p2)) == 0 {
			b.Fatal("no changes")
		}
	}
}
