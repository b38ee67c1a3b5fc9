package password_test

import (
	"testing"

	"github.com/eidkit/eidkit/account/password"
)

// BenchmarkArgon2idDefault measures Hash at the default parameters
// (m=19 MiB, t=2, p=1); B/op shows the memory cost.
func BenchmarkArgon2idDefault(b *testing.B) {
	h, err := password.New(password.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Hash("Tq7#vLp2!mXz"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyDummy is the cost an unknown username pays.
func BenchmarkVerifyDummy(b *testing.B) {
	h, err := password.New(password.Config{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_ = h.VerifyDummy("Tq7#vLp2!mXz")
	}
}
