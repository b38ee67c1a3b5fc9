package xmlenc

import (
	"crypto"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// TestKeyWrapRFC3394 uses the test vectors of RFC 3394 §4.
func TestKeyWrapRFC3394(t *testing.T) {
	tests := []struct {
		name, kek, key, wrapped string
	}{
		{"4.1 128-bit data, 128-bit KEK", "000102030405060708090A0B0C0D0E0F", "00112233445566778899AABBCCDDEEFF",
			"1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"},
		{"4.3 128-bit data, 256-bit KEK", "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", "00112233445566778899AABBCCDDEEFF",
			"64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7"},
		{"4.5 192-bit data, 256-bit KEK", "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
			"00112233445566778899AABBCCDDEEFF0001020304050607",
			"A8F9BC1612C68B3FF6E6F4FBE30E71E4769C8B80A32CB8958CD5D17D6B254DA1"},
		{"4.6 256-bit data, 256-bit KEK", "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
			"00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F",
			"28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kek, key, wrapped := unhex(t, tc.kek), unhex(t, tc.key), unhex(t, tc.wrapped)
			got, err := keyWrap(kek, key)
			require.NoError(t, err)
			require.Equal(t, wrapped, got)
			back, err := keyUnwrap(kek, wrapped)
			require.NoError(t, err)
			require.Equal(t, key, back)
			wrapped[len(wrapped)-1] ^= 1
			_, err = keyUnwrap(kek, wrapped)
			require.ErrorIs(t, err, errKeyWrap)
		})
	}
}

func TestKeyUnwrapMalformed(t *testing.T) {
	kek := make([]byte, 32)
	for _, n := range []int{0, 8, 16, 23, 25, 41} {
		_, err := keyUnwrap(kek, make([]byte, n))
		require.ErrorIs(t, err, errKeyWrap, n)
	}
	_, err := keyUnwrap(kek[:7], make([]byte, 24))
	require.ErrorIs(t, err, errKeyWrap)
	_, err = keyWrap(kek, make([]byte, 12))
	require.ErrorIs(t, err, errKeyWrap)
}

// TestConcatKDF checks the derivation against a value computed by hand from
// its definition: SHA-256(00000001 || Z || OtherInfo), and the counter
// continuing into a second block for longer output.
func TestConcatKDF(t *testing.T) {
	z := unhex(t, "52fa3a8c3e1d6f0a9b1d5e1c4b3a29180716f5e4d3c2b1a09f8e7d6c5b4a3928")
	other := unhex(t, "0102")
	h := crypto.SHA256.New()
	h.Write(unhex(t, "00000001"))
	h.Write(z)
	h.Write(other)
	first := h.Sum(nil)
	require.Equal(t, first[:16], concatKDF(crypto.SHA256, z, 16, other))
	h.Reset()
	h.Write(unhex(t, "00000002"))
	h.Write(z)
	h.Write(other)
	long := concatKDF(crypto.SHA256, z, 40, other)
	require.Equal(t, append(first, h.Sum(nil)[:8]...), long)
}
