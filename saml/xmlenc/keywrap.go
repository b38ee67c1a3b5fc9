package xmlenc

import (
	"crypto"
	"crypto/aes"
	"crypto/subtle"
	"encoding/binary"
)

// kwIV is the default initial value of RFC 3394 §2.2.3.1.
const kwIV uint64 = 0xA6A6A6A6A6A6A6A6

// keyWrap wraps key (a multiple of 8 bytes, at least 16) with kek as RFC
// 3394 §2.2.1 (XML Encryption §5.6.3, kw-aes*) defines.
func keyWrap(kek, key []byte) ([]byte, error) {
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	if len(key)%8 != 0 || len(key) < 16 {
		return nil, errKeyWrap
	}
	n := len(key) / 8
	out := make([]byte, 8+len(key))
	binary.BigEndian.PutUint64(out, kwIV)
	copy(out[8:], key)
	var buf [16]byte
	for j := range 6 {
		for i := 1; i <= n; i++ {
			copy(buf[:8], out[:8])
			copy(buf[8:], out[8*i:8*i+8])
			block.Encrypt(buf[:], buf[:])
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(out[:8], binary.BigEndian.Uint64(buf[:8])^t)
			copy(out[8*i:], buf[8:])
		}
	}
	return out, nil
}

// keyUnwrap reverses keyWrap (RFC 3394 §2.2.2) and checks the integrity
// value in constant time. Malformed input is an error, never a panic.
func keyUnwrap(kek, wrapped []byte) ([]byte, error) {
	if len(wrapped)%8 != 0 || len(wrapped) < 24 {
		return nil, errKeyWrap
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, errKeyWrap
	}
	n := len(wrapped)/8 - 1
	a := binary.BigEndian.Uint64(wrapped[:8])
	r := append([]byte(nil), wrapped[8:]...)
	var buf [16]byte
	for j := 5; j >= 0; j-- {
		for i := n; i >= 1; i-- {
			binary.BigEndian.PutUint64(buf[:8], a^uint64(n*j+i))
			copy(buf[8:], r[8*(i-1):8*i])
			block.Decrypt(buf[:], buf[:])
			a = binary.BigEndian.Uint64(buf[:8])
			copy(r[8*(i-1):], buf[8:])
		}
	}
	var got, want [8]byte
	binary.BigEndian.PutUint64(got[:], a)
	binary.BigEndian.PutUint64(want[:], kwIV)
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return nil, errKeyWrap
	}
	return r, nil
}

// concatKDF derives size bytes from the shared secret z with the
// single-step key derivation of NIST SP 800-56A §5.8.1 as XML Encryption 1.1
// §5.4.1 uses it: Hash(counter || Z || OtherInfo) for counter = 1, 2, ...
// with a 32-bit big-endian counter.
func concatKDF(h crypto.Hash, z []byte, size int, otherInfo []byte) []byte {
	var out []byte
	var counter [4]byte
	for c := uint32(1); len(out) < size; c++ {
		hh := h.New()
		binary.BigEndian.PutUint32(counter[:], c)
		hh.Write(counter[:])
		hh.Write(z)
		hh.Write(otherInfo)
		out = hh.Sum(out)
	}
	return out[:size]
}
