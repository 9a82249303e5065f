//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package ssostate

import "os"

// NOTE: on this platform the provider has no file lock, so only the writes
// within one Terraform process are serialised.
func tryLockFile(*os.File) (bool, error) { return true, nil }

func unlockFile(*os.File) {}
