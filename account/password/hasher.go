package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/argon2"
)

// Defaults (OWASP password storage cheat sheet: m=19 MiB, t=2, p=1).
const (
	DefaultMemoryKiB = 19 * 1024
	DefaultTime      = 2
	DefaultThreads   = 1
	DefaultSaltLen   = 16
	DefaultKeyLen    = 32
)

// Limits on parameters, both configured and read from stored hashes.
const (
	MaxMemoryKiB        = 1 << 20 // 1 GiB
	MaxTime             = 64
	MaxThreads          = 64
	MaxSaltLen          = 64
	MinSaltLen          = 8
	MinKeyLen           = 16
	MaxKeyLen           = 64
	MaxPBKDF2Iterations = 10_000_000
	MaxBcryptCost       = 16
	// MaxPasswordBytes bounds what is hashed; account rejects longer
	// passwords before they get here.
	MaxPasswordBytes = 1024
	// MaxHashLen bounds the encoded hash string accepted by Parse.
	MaxHashLen = 512
)

// Config sets the argon2id parameters for new hashes. Zero fields take the
// defaults above.
type Config struct {
	// MemoryKiB is argon2 m in KiB. Defaults to DefaultMemoryKiB.
	MemoryKiB uint32
	// Time is argon2 t (passes). Defaults to DefaultTime.
	Time uint32
	// Threads is argon2 p. Defaults to DefaultThreads.
	Threads uint8
	// SaltLen is the salt size in bytes. Defaults to DefaultSaltLen.
	SaltLen int
	// KeyLen is the derived key size in bytes. Defaults to DefaultKeyLen.
	KeyLen int
	// Rand supplies salts. Nil means crypto/rand.Reader.
	Rand io.Reader
}

// Validate reports every out-of-range parameter.
func (c Config) Validate() error {
	var errs []error
	bad := func(f string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: "+f, append([]any{ErrInvalidConfig}, a...)...))
	}
	if c.MemoryKiB > MaxMemoryKiB || (c.MemoryKiB != 0 && c.MemoryKiB < 8*uint32(max(c.Threads, 1))) {
		bad("MemoryKiB %d outside 8*Threads..%d", c.MemoryKiB, MaxMemoryKiB)
	}
	if c.Time > MaxTime {
		bad("Time %d > %d", c.Time, MaxTime)
	}
	if c.Threads > MaxThreads {
		bad("Threads %d > %d", c.Threads, MaxThreads)
	}
	if c.SaltLen != 0 && (c.SaltLen < MinSaltLen || c.SaltLen > MaxSaltLen) {
		bad("SaltLen %d outside %d..%d", c.SaltLen, MinSaltLen, MaxSaltLen)
	}
	if c.KeyLen != 0 && (c.KeyLen < MinKeyLen || c.KeyLen > MaxKeyLen) {
		bad("KeyLen %d outside %d..%d", c.KeyLen, MinKeyLen, MaxKeyLen)
	}
	return errors.Join(errs...)
}

// Hasher hashes and verifies passwords. It is safe for concurrent use.
type Hasher struct {
	p     Argon2Params
	rand  io.Reader
	dummy string
}

// Argon2Params are the parameters of one argon2id hash.
type Argon2Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
	SaltLen   int
	KeyLen    int
}

// New validates cfg and returns a Hasher; it never changes cfg.
func New(cfg Config) (*Hasher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	h := &Hasher{p: Argon2Params{
		MemoryKiB: orDefault(cfg.MemoryKiB, DefaultMemoryKiB),
		Time:      orDefault(cfg.Time, DefaultTime),
		Threads:   orDefault(cfg.Threads, DefaultThreads),
		SaltLen:   orDefault(cfg.SaltLen, DefaultSaltLen),
		KeyLen:    orDefault(cfg.KeyLen, DefaultKeyLen),
	}, rand: cfg.Rand}
	if h.rand == nil {
		h.rand = rand.Reader
	}
	dummy, err := h.Hash("eidkit dummy password for unknown users")
	if err != nil {
		return nil, err
	}
	h.dummy = dummy
	return h, nil
}

func orDefault[T comparable](v, d T) T {
	var zero T
	if v == zero {
		return d
	}
	return v
}

// Params returns the parameters used for new hashes.
func (h *Hasher) Params() Argon2Params { return h.p }

// Hash returns a new argon2id hash of password in PHC string form.
func (h *Hasher) Hash(password string) (string, error) {
	if len(password) > MaxPasswordBytes {
		return "", fmt.Errorf("%w: %d bytes, limit %d", ErrTooLong, len(password), MaxPasswordBytes)
	}
	salt := make([]byte, h.p.SaltLen)
	if _, err := io.ReadFull(h.rand, salt); err != nil {
		return "", fmt.Errorf("password: reading salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, h.p.Time, h.p.MemoryKiB, h.p.Threads, uint32(h.p.KeyLen))
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.p.MemoryKiB, h.p.Time, h.p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var b64 = base64.RawStdEncoding

// Verify checks password against an encoded hash (argon2id, bcrypt or
// PBKDF2). It returns ErrMismatch when the password is wrong, and
// needsRehash=true when the hash verified but was made with another
// algorithm or other parameters than the Hasher's: the caller should then
// store Hash(password).
func (h *Hasher) Verify(password, encoded string) (needsRehash bool, err error) {
	if len(password) > MaxPasswordBytes {
		return false, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLong, len(password), MaxPasswordBytes)
	}
	info, err := Parse(encoded)
	if err != nil {
		return false, err
	}
	var got, want []byte
	switch info.Algorithm {
	case AlgArgon2id:
		want = info.key
		got = argon2.IDKey([]byte(password), info.salt, info.Time, info.MemoryKiB, info.Threads, uint32(len(want)))
	case AlgBcrypt:
		if err := verifyBcrypt(password, encoded); err != nil {
			return false, err
		}
		return true, nil
	case AlgPBKDF2SHA256, AlgPBKDF2SHA512:
		want = info.key
		if got, err = info.pbkdf2(password); err != nil {
			return false, err
		}
	}
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return false, ErrMismatch
	}
	return h.needsRehash(info), nil
}

func (h *Hasher) needsRehash(i Info) bool {
	return i.Algorithm != AlgArgon2id || i.MemoryKiB != h.p.MemoryKiB || i.Time != h.p.Time ||
		i.Threads != h.p.Threads || i.KeyLen != h.p.KeyLen || i.SaltLen < h.p.SaltLen
}

// NeedsRehash reports whether an encoded hash differs from what Hash would
// produce now (algorithm or parameters). A malformed hash needs a rehash.
func (h *Hasher) NeedsRehash(encoded string) bool {
	info, err := Parse(encoded)
	return err != nil || h.needsRehash(info)
}

// VerifyDummy spends the time of a real verification against a hash made
// at the current parameters and always returns ErrMismatch. Call it when
// the username is unknown so timing does not reveal which accounts exist.
func (h *Hasher) VerifyDummy(password string) error {
	if len(password) > MaxPasswordBytes {
		password = password[:MaxPasswordBytes]
	}
	_, _ = h.Verify(password, h.dummy)
	return ErrMismatch
}
