#!/bin/sh
# make-history.sh DIR: a git repository of examples/spin with 12 commits on main, for
# examples/bisect.lua. Tag v1 is the first commit; commit 8 makes the loop do twice the work (a
# slowdown to find); commit 6's Makefile is broken (a commit that does not build, to skip).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
[ ! -e "$dir" ] || { echo "make-history.sh: $dir exists already" >&2; exit 1; }
git init -q -b main "$dir"
cd "$dir"
git config user.email example@mpf.invalid
git config user.name example
cp "$here/spin/spin.c" "$here/spin/Makefile" .
for i in $(seq 1 12); do
  cp "$here/spin/Makefile" Makefile
  [ "$i" -eq 6 ] && printf 'spin: spin.c\n\tcc -O2 -o spin spin.c -lnosuchlibrary\n' > Makefile
  # From commit 8 on, each iteration is done twice.
  [ "$i" -eq 8 ] && sed -i 's/for (long i = 0; i < n; i++)/for (long i = 0; i < 2 * n; i++)/' spin.c
  echo "commit $i" > NOTES
  git add -A
  case $i in
    6) subject="link against the new helper library" ;;
    8) subject="count each step twice for accuracy" ;;
    *) subject="tidy up, step $i" ;;
  esac
  git commit -q -m "$subject"
  [ "$i" -eq 1 ] && git tag v1
done
echo "$dir: $(git rev-list --count HEAD) commits; v1 is the first, main the last"
