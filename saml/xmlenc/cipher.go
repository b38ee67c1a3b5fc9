package xmlenc

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"fmt"
	"io"
)

// Sizes fixed by XML Encryption 1.1 §5.2.2 (CBC) and §5.2.4 (GCM).
const (
	gcmIVSize  = 12
	gcmTagSize = 16
	cbcIVSize  = aes.BlockSize
)

// minCipherLen is the shortest well-formed CipherValue for alg.
func (alg dataAlgorithm) minCipherLen() int {
	if alg.gcm {
		return gcmIVSize + gcmTagSize
	}
	return cbcIVSize + aes.BlockSize
}

// seal encrypts plaintext with AES-GCM as XML Encryption 1.1 §5.2.4 lays it
// out: IV (12 bytes) || ciphertext || tag (16 bytes).
func seal(alg dataAlgorithm, key, plaintext []byte, rnd io.Reader) ([]byte, error) {
	if !alg.gcm {
		return nil, unsupported("EncryptionMethod", alg.uri)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEncrypt, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEncrypt, err)
	}
	out := make([]byte, gcmIVSize, gcmIVSize+len(plaintext)+gcmTagSize)
	if _, err := io.ReadFull(rnd, out); err != nil {
		return nil, fmt.Errorf("%w: random IV: %v", ErrEncrypt, err)
	}
	return aead.Seal(out, out[:gcmIVSize], plaintext, nil), nil
}

// open decrypts a CipherValue of alg with key. It never panics on short,
// unaligned or otherwise malformed input.
func open(alg dataAlgorithm, key, data []byte) ([]byte, error) {
	if len(key) != alg.keySize || len(data) < alg.minCipherLen() {
		return nil, errOpen
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, errOpen
	}
	if alg.gcm {
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, errOpen
		}
		pt, err := aead.Open(nil, data[:gcmIVSize], data[gcmIVSize:], nil)
		if err != nil {
			return nil, errOpen
		}
		return pt, nil
	}
	return openCBC(block, data)
}

// openCBC decrypts IV || ciphertext in CBC mode and removes the padding of
// XML Encryption §5.2: the last byte n (1..16) counts the padding bytes, whose
// other values are arbitrary. The padding check does not branch on the
// padding value. CBC has no integrity: see [Decrypter.AllowCBC].
func openCBC(block cipher.Block, data []byte) ([]byte, error) {
	body := data[cbcIVSize:]
	if len(body)%aes.BlockSize != 0 {
		return nil, errOpen
	}
	pt := make([]byte, len(body))
	cipher.NewCBCDecrypter(block, data[:cbcIVSize]).CryptBlocks(pt, body)
	n := int(pt[len(pt)-1])
	ok := subtle.ConstantTimeLessOrEq(1, n) & subtle.ConstantTimeLessOrEq(n, aes.BlockSize)
	if ok != 1 {
		return nil, errOpen
	}
	return pt[:len(pt)-n], nil
}
