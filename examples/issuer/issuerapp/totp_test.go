package issuerapp

import (
	"encoding/base32"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// rfcSecret is the RFC 6238 Appendix B SHA-1 seed.
var rfcSecret = base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))

// TestCode checks the RFC 6238 Appendix B vectors (last 6 of the 8 digits).
func TestCode(t *testing.T) {
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"},
		{1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"},
	} {
		got, err := Code(rfcSecret, time.Unix(tc.unix, 0))
		require.NoError(t, err)
		require.Equal(t, tc.want, got, "T=%d", tc.unix)
	}
	_, err := Code("not base32!", time.Unix(59, 0))
	require.ErrorIs(t, err, ErrBadCode)
	_, err = Code("GEZDGNBV", time.Unix(59, 0)) // 5 bytes: too short
	require.ErrorIs(t, err, ErrBadCode)
}

// TestTOTPVerifier: one step of drift each way, one use per step (RFC 6238
// §5.2), malformed codes refused.
func TestTOTPVerifier(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	at := func(d time.Duration) string {
		c, err := Code(rfcSecret, now.Add(d))
		require.NoError(t, err)
		return c
	}
	tests := []struct {
		name    string
		codes   []string // earlier codes accepted first
		code    string
		wantErr bool
	}{
		{"current", nil, at(0), false},
		{"previous step", nil, at(-totpStep), false},
		{"next step", nil, at(totpStep), false},
		{"two steps old", nil, at(-2 * totpStep), true},
		{"two steps ahead", nil, at(2 * totpStep), true},
		{"reused", []string{at(0)}, at(0), true},
		{"older after newer", []string{at(0)}, at(-totpStep), true},
		{"newer after older", []string{at(-totpStep)}, at(0), false},
		{"too short", nil, "12345", true},
		{"not digits", nil, "12345a", true},
		{"padded", nil, " " + at(0)[1:], true},
		{"empty", nil, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := &totpVerifier{key: []byte("12345678901234567890")}
			for _, c := range tc.codes {
				require.NoError(t, v.verify(c, now))
			}
			err := v.verify(tc.code, now)
			if tc.wantErr {
				require.ErrorIs(t, err, ErrBadCode)
				return
			}
			require.NoError(t, err)
		})
	}
}

func TestOTPAuthURI(t *testing.T) {
	u := otpauthURI("eidkit demo issuer", "ivan", []byte("12345678901234567890"))
	require.Equal(t, "otpauth://totp/eidkit%20demo%20issuer:ivan?algorithm=SHA1&digits=6&issuer=eidkit+demo+issuer&period=30&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", u)
}

// FuzzTOTPVerify: whatever is typed into the code field, verify never
// panics and accepts only the codes of the window.
func FuzzTOTPVerify(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	for _, s := range []string{"000000", "123456", "", "１２３４５６", "12345678", "-12345"} {
		f.Add(s)
	}
	valid := map[string]bool{}
	for d := -totpDrift; d <= totpDrift; d++ {
		c, err := Code(rfcSecret, now.Add(time.Duration(d)*totpStep))
		require.NoError(f, err)
		valid[c] = true
	}
	f.Fuzz(func(t *testing.T, code string) {
		v := &totpVerifier{key: []byte("12345678901234567890")}
		err := v.verify(code, now)
		if err == nil && !valid[code] {
			t.Fatalf("accepted %q", code)
		}
		if err != nil {
			require.ErrorIs(t, err, ErrBadCode)
		}
	})
}

func BenchmarkTOTPVerify(b *testing.B) {
	now := time.Unix(1_800_000_000, 0)
	for b.Loop() {
		v := &totpVerifier{key: []byte("12345678901234567890")}
		_ = v.verify("000000", now)
	}
}
