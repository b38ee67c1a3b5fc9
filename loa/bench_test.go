package loa

import "testing"

func BenchmarkParseClassRef(b *testing.B) {
	r := newRegistry(b, niasConfig())
	for _, s := range []string{EIDASSubstantial, EIDASLegacyNotNotifiedHigh, "STORK-QAA-Level-3", "urn:hr:nias:loa:3"} {
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.ParseClassRef(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSatisfies(b *testing.B) {
	r := newRegistry(b, niasConfig())
	nias3, err := r.ParseClassRef("urn:hr:nias:loa:3")
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name    string
		granted Level
		req     Requested
	}{
		{"same family", Notified(High), Minimum(Notified(Substantial))},
		{"cross family", STORK(3), Minimum(Notified(Substantial))},
		{"national list miss", Notified(Low), Requested{Comparison: ComparisonExact,
			Levels: []Level{nias3, Notified(High), STORK(4), NotNotified(High)}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r.Satisfies(c.granted, c.req)
			}
		})
	}
}
