package password_test

import (
	"errors"
	"testing"

	"github.com/eidkit/eidkit/account/password"
)

// FuzzParse feeds stored-hash strings to Parse: no panic, only typed
// errors, and accepted parameters within the documented limits.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$2a$04$abcdefghijklmnopqrstuu5Z8KfUq1s1sYz7Gq3P8n0s9P7a3K2xG",
		"pbkdf2_sha256$1000$saltsaltsalt$F7o7+5VTVzFAO998X6s3AHrDsJVdMiIlgndIMe19NvY=",
		"$pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg$cBg8D2DungRB9k76szThf5ehfyBz991ay6PT8Srwk4M",
		"$pbkdf2-sha512$i=1000,l=64$MDEy$OM0F", "$argon2i$", "", "$$$$$",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		info, err := password.Parse(s)
		if err != nil {
			if !errors.Is(err, password.ErrMalformedHash) && !errors.Is(err, password.ErrUnsupportedAlgorithm) &&
				!errors.Is(err, password.ErrParamsOutOfRange) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if info.MemoryKiB > password.MaxMemoryKiB || info.Time > password.MaxTime ||
			info.Iterations > password.MaxPBKDF2Iterations || info.Cost > password.MaxBcryptCost {
			t.Fatalf("limits not enforced: %+v", info)
		}
	})
}
