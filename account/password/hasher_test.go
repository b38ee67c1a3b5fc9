package password_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/eidkit/eidkit/account/password"
)

// cheap keeps unit tests fast; TestDefaultParams covers the defaults.
func cheap(t testing.TB) *password.Hasher {
	h, err := password.New(password.Config{MemoryKiB: 64, Time: 1})
	require.NoError(t, err)
	return h
}

func TestDefaultParams(t *testing.T) {
	h, err := password.New(password.Config{})
	require.NoError(t, err)
	enc, err := h.Hash("Tq7#vLp2!mXz")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$"), enc)
	info, err := password.Parse(enc)
	require.NoError(t, err)
	require.Equal(t, 16, info.SaltLen)
	require.Equal(t, 32, info.KeyLen)
	rehash, err := h.Verify("Tq7#vLp2!mXz", enc)
	require.NoError(t, err)
	require.False(t, rehash)
	_, err = h.Verify("Tq7#vLp2!mXZ", enc)
	require.ErrorIs(t, err, password.ErrMismatch)
}

// TestArgon2idReferenceVector uses the argon2 reference implementation's
// test vector (phc-winner-argon2 src/test.c).
func TestArgon2idReferenceVector(t *testing.T) {
	const ref = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	h := cheap(t)
	rehash, err := h.Verify("password", ref)
	require.NoError(t, err)
	require.True(t, rehash, "m=65536 differs from the configured parameters")
	_, err = h.Verify("passwore", ref)
	require.ErrorIs(t, err, password.ErrMismatch)
}

func TestVerifyForeignHashes(t *testing.T) {
	bc, err := bcrypt.GenerateFromPassword([]byte("correct horse"), bcrypt.MinCost)
	require.NoError(t, err)
	bcY := "$2y$" + string(bc[4:])
	tests := []struct {
		name string
		enc  string
		alg  password.Algorithm
	}{
		{"N29 bcrypt 2a", string(bc), password.AlgBcrypt},
		{"N29 bcrypt 2y (PHP)", bcY, password.AlgBcrypt},
		{"N29 Django pbkdf2_sha256", "pbkdf2_sha256$1000$saltsaltsalt$F7o7+5VTVzFAO998X6s3AHrDsJVdMiIlgndIMe19NvY=", password.AlgPBKDF2SHA256},
		{"N29 passlib pbkdf2-sha256", "$pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg$cBg8D2DungRB9k76szThf5ehfyBz991ay6PT8Srwk4M", password.AlgPBKDF2SHA256},
		{"N29 PHC pbkdf2-sha512", "$pbkdf2-sha512$i=1000,l=64$MDEyMzQ1Njc4OWFiY2RlZg$OM0FAoIqCVK1sWtxDiffVlBejtLa+ks4TP71JiecwuSZCG8iLbnlIEPOMoVX+i2B2wkSxjQ8CRGR9OkNGuIPMQ", password.AlgPBKDF2SHA512},
	}
	h := cheap(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			info, err := password.Parse(tc.enc)
			require.NoError(t, err)
			require.Equal(t, tc.alg, info.Algorithm)
			rehash, err := h.Verify("correct horse", tc.enc)
			require.NoError(t, err)
			require.True(t, rehash, "foreign hashes are replaced by argon2id at first login")
			_, err = h.Verify("correct horsE", tc.enc)
			require.ErrorIs(t, err, password.ErrMismatch)
		})
	}
}

func TestRehashWhenParamsChange(t *testing.T) {
	old := cheap(t)
	enc, err := old.Hash("pw")
	require.NoError(t, err)
	stronger, err := password.New(password.Config{MemoryKiB: 128, Time: 1})
	require.NoError(t, err)
	rehash, err := stronger.Verify("pw", enc)
	require.NoError(t, err)
	require.True(t, rehash)
	require.True(t, stronger.NeedsRehash(enc))
	require.False(t, old.NeedsRehash(enc))
	again, err := stronger.Hash("pw")
	require.NoError(t, err)
	rehash, err = stronger.Verify("pw", again)
	require.NoError(t, err)
	require.False(t, rehash)
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name string
		enc  string
		want error
	}{
		{"empty", "", password.ErrUnsupportedAlgorithm},
		{"plain text", "hunter2", password.ErrUnsupportedAlgorithm},
		{"argon2i", "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG", password.ErrUnsupportedAlgorithm},
		{"pbkdf2-sha1", "$pbkdf2$1000$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA", password.ErrUnsupportedAlgorithm},
		{"huge memory", "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", password.ErrParamsOutOfRange},
		{"zero time", "$argon2id$v=19$m=64,t=0,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", password.ErrParamsOutOfRange},
		{"old version", "$argon2id$v=16$m=64,t=1,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", password.ErrMalformedHash},
		{"bad base64", "$argon2id$v=19$m=64,t=1,p=1$!!!$CTFh", password.ErrMalformedHash},
		{"unknown param", "$argon2id$v=19$m=64,t=1,x=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", password.ErrMalformedHash},
		{"pbkdf2 too many iterations", "pbkdf2_sha256$100000000$salt$F7o7+5VTVzFAO998X6s3AHrDsJVdMiIlgndIMe19NvY=", password.ErrParamsOutOfRange},
		{"bcrypt cost 31", "$2a$31$" + strings.Repeat("a", 53), password.ErrParamsOutOfRange},
		{"too long", "$argon2id$" + strings.Repeat("a", 600), password.ErrMalformedHash},
	}
	h := cheap(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := password.Parse(tc.enc)
			require.ErrorIs(t, err, tc.want)
			_, err = h.Verify("x", tc.enc)
			require.ErrorIs(t, err, tc.want)
		})
	}
}

func TestHashBadInput(t *testing.T) {
	h := cheap(t)
	_, err := h.Hash(strings.Repeat("x", 1025))
	require.ErrorIs(t, err, password.ErrTooLong)
	_, err = h.Verify(strings.Repeat("x", 1025), "$argon2id$")
	require.ErrorIs(t, err, password.ErrTooLong)
	require.ErrorIs(t, h.VerifyDummy(strings.Repeat("x", 2000)), password.ErrMismatch)
}

func TestConfigValidate(t *testing.T) {
	err := password.Config{MemoryKiB: 1 << 30, Time: 100, Threads: 100, SaltLen: 4, KeyLen: 1000}.Validate()
	for _, s := range []string{"MemoryKiB", "Time", "Threads", "SaltLen", "KeyLen"} {
		require.ErrorContains(t, err, s)
	}
	require.ErrorIs(t, err, password.ErrInvalidConfig)
	_, err = password.New(password.Config{KeyLen: 2})
	require.ErrorIs(t, err, password.ErrInvalidConfig)
}

func TestSaltFromInjectedReader(t *testing.T) {
	h, err := password.New(password.Config{MemoryKiB: 64, Time: 1, Rand: bytes.NewReader(bytes.Repeat([]byte{7}, 32))})
	require.NoError(t, err)
	enc, err := h.Hash("pw")
	require.NoError(t, err)
	require.Contains(t, enc, "$BwcHBwcHBwcHBwcHBwcHBw$", "salt is read from Config.Rand")
	_, err = h.Hash("pw")
	require.Error(t, err, "exhausted reader is an error, not a weak salt")
}

func TestVerifyDummyAlwaysMismatches(t *testing.T) {
	h := cheap(t)
	require.ErrorIs(t, h.VerifyDummy("eidkit dummy password for unknown users"), password.ErrMismatch)
}
