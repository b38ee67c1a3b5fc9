package password

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// Algorithm names a hash algorithm.
type Algorithm string

// Algorithms Verify accepts.
const (
	AlgArgon2id     Algorithm = "argon2id"
	AlgBcrypt       Algorithm = "bcrypt"
	AlgPBKDF2SHA256 Algorithm = "pbkdf2-sha256"
	AlgPBKDF2SHA512 Algorithm = "pbkdf2-sha512"
)

// Info describes a parsed hash.
type Info struct {
	Algorithm Algorithm
	// Argon2id parameters.
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
	// Iterations is the PBKDF2 iteration count; Cost the bcrypt cost.
	Iterations int
	Cost       int
	SaltLen    int
	KeyLen     int

	salt, key []byte
}

// Parse decodes a stored hash and checks its parameters against the
// package limits. It does not verify anything.
func Parse(encoded string) (Info, error) {
	if len(encoded) > MaxHashLen {
		return Info{}, fmt.Errorf("%w: %d bytes", ErrMalformedHash, len(encoded))
	}
	switch {
	case strings.HasPrefix(encoded, "$argon2id$"):
		return parseArgon2id(encoded)
	case strings.HasPrefix(encoded, "$2a$"), strings.HasPrefix(encoded, "$2b$"), strings.HasPrefix(encoded, "$2y$"):
		return parseBcrypt(encoded)
	case strings.HasPrefix(encoded, "$pbkdf2-"):
		return parsePBKDF2PHC(encoded)
	case strings.HasPrefix(encoded, "pbkdf2_"):
		return parsePBKDF2Django(encoded)
	case strings.HasPrefix(encoded, "$argon2"):
		return Info{}, fmt.Errorf("%w: %s", ErrUnsupportedAlgorithm, strings.SplitN(encoded[1:], "$", 2)[0])
	}
	return Info{}, ErrUnsupportedAlgorithm
}

func parseArgon2id(s string) (Info, error) {
	f := strings.Split(s, "$") // "", argon2id, v=19, m=..,t=..,p=.., salt, key
	if len(f) != 6 || f[2] != "v="+strconv.Itoa(argon2.Version) {
		return Info{}, fmt.Errorf("%w: argon2id layout or version", ErrMalformedHash)
	}
	var m, t, p uint64
	for _, kv := range strings.Split(f[3], ",") {
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return Info{}, fmt.Errorf("%w: argon2id parameter %q", ErrMalformedHash, kv)
		}
		switch k {
		case "m":
			m = n
		case "t":
			t = n
		case "p":
			p = n
		default:
			return Info{}, fmt.Errorf("%w: argon2id parameter %q", ErrMalformedHash, k)
		}
	}
	salt, err1 := b64.DecodeString(f[4])
	key, err2 := b64.DecodeString(f[5])
	if err := errors.Join(err1, err2); err != nil {
		return Info{}, fmt.Errorf("%w: argon2id base64: %w", ErrMalformedHash, err)
	}
	if m > MaxMemoryKiB || t < 1 || t > MaxTime || p < 1 || p > MaxThreads || m < 8*p ||
		len(salt) < MinSaltLen || len(salt) > MaxSaltLen || len(key) < MinKeyLen || len(key) > MaxKeyLen {
		return Info{}, fmt.Errorf("%w: argon2id m=%d t=%d p=%d salt=%d key=%d", ErrParamsOutOfRange, m, t, p, len(salt), len(key))
	}
	return Info{Algorithm: AlgArgon2id, MemoryKiB: uint32(m), Time: uint32(t), Threads: uint8(p),
		SaltLen: len(salt), KeyLen: len(key), salt: salt, key: key}, nil
}

func parseBcrypt(s string) (Info, error) {
	cost, err := bcrypt.Cost([]byte(s))
	if err != nil {
		return Info{}, fmt.Errorf("%w: bcrypt: %w", ErrMalformedHash, err)
	}
	if cost > MaxBcryptCost {
		return Info{}, fmt.Errorf("%w: bcrypt cost %d", ErrParamsOutOfRange, cost)
	}
	return Info{Algorithm: AlgBcrypt, Cost: cost, SaltLen: 16, KeyLen: 23}, nil
}

func verifyBcrypt(password, encoded string) error {
	err := bcrypt.CompareHashAndPassword([]byte(encoded), []byte(password))
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return ErrMismatch
	case errors.Is(err, bcrypt.ErrPasswordTooLong):
		return fmt.Errorf("%w: bcrypt accepts at most 72 bytes", ErrTooLong)
	}
	return fmt.Errorf("%w: bcrypt: %w", ErrMalformedHash, err)
}

// adapted base64 (passlib): standard alphabet with "." for "+", no padding.
var ab64 = base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./").WithPadding(base64.NoPadding)

func pbkdf2Alg(name string) (Algorithm, error) {
	switch name {
	case "sha256":
		return AlgPBKDF2SHA256, nil
	case "sha512":
		return AlgPBKDF2SHA512, nil
	}
	return "", fmt.Errorf("%w: pbkdf2-%s", ErrUnsupportedAlgorithm, name)
}

// parsePBKDF2PHC reads "$pbkdf2-sha256$i=N,l=L$salt$key" (PHC, standard
// base64) and "$pbkdf2-sha256$N$salt$key" (passlib, adapted base64).
func parsePBKDF2PHC(s string) (Info, error) {
	f := strings.Split(s, "$")
	if len(f) != 5 {
		return Info{}, fmt.Errorf("%w: pbkdf2 layout", ErrMalformedHash)
	}
	alg, err := pbkdf2Alg(strings.TrimPrefix(f[1], "pbkdf2-"))
	if err != nil {
		return Info{}, err
	}
	enc := b64
	iterText := f[2]
	if strings.HasPrefix(f[2], "i=") {
		for _, kv := range strings.Split(f[2], ",") {
			if v, ok := strings.CutPrefix(kv, "i="); ok {
				iterText = v
			}
		}
	} else {
		enc = ab64
	}
	salt, err1 := enc.DecodeString(f[3])
	key, err2 := enc.DecodeString(f[4])
	if err := errors.Join(err1, err2); err != nil {
		return Info{}, fmt.Errorf("%w: pbkdf2 base64: %w", ErrMalformedHash, err)
	}
	return pbkdf2Info(alg, iterText, salt, key)
}

// parsePBKDF2Django reads "pbkdf2_sha256$N$salt$key" (salt as text, key
// in padded standard base64).
func parsePBKDF2Django(s string) (Info, error) {
	f := strings.Split(s, "$")
	if len(f) != 4 {
		return Info{}, fmt.Errorf("%w: pbkdf2 layout", ErrMalformedHash)
	}
	alg, err := pbkdf2Alg(strings.TrimPrefix(f[0], "pbkdf2_"))
	if err != nil {
		return Info{}, err
	}
	key, err := base64.StdEncoding.DecodeString(f[3])
	if err != nil {
		return Info{}, fmt.Errorf("%w: pbkdf2 base64: %w", ErrMalformedHash, err)
	}
	return pbkdf2Info(alg, f[1], []byte(f[2]), key)
}

func pbkdf2Info(alg Algorithm, iterText string, salt, key []byte) (Info, error) {
	iter, err := strconv.Atoi(iterText)
	if err != nil {
		return Info{}, fmt.Errorf("%w: pbkdf2 iterations %q", ErrMalformedHash, iterText)
	}
	if iter < 1 || iter > MaxPBKDF2Iterations || len(salt) < 1 || len(salt) > MaxSaltLen ||
		len(key) < MinKeyLen || len(key) > MaxKeyLen {
		return Info{}, fmt.Errorf("%w: pbkdf2 i=%d salt=%d key=%d", ErrParamsOutOfRange, iter, len(salt), len(key))
	}
	return Info{Algorithm: alg, Iterations: iter, SaltLen: len(salt), KeyLen: len(key), salt: salt, key: key}, nil
}

func (i Info) pbkdf2(password string) ([]byte, error) {
	var h func() hash.Hash = sha256.New
	if i.Algorithm == AlgPBKDF2SHA512 {
		h = sha512.New
	}
	k, err := pbkdf2.Key(h, password, i.salt, i.Iterations, len(i.key))
	if err != nil {
		return nil, fmt.Errorf("%w: pbkdf2: %w", ErrParamsOutOfRange, err)
	}
	return k, nil
}
