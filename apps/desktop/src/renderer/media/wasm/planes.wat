;; The background effects' loops over 8-bit planes (planes.ts, planesWasm.ts), with 128-bit SIMD:
;; 16 samples an instruction. Every plane lives in this module's memory, row after row with no
;; gap; every buffer has at least 16 bytes after it that a loop may read or scribble on (the
;; caller's layout guarantees it). Compiled from this text at build time (scripts/wat.ts).
(module
  (memory (export "memory") 1)

  ;; min and max of two i32 (signed).
  (func $min (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.lt_s (local.get $a) (local.get $b))))
  (func $max (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.gt_s (local.get $a) (local.get $b))))

  ;; ---------------------------------------------------------------- shrinking by 4 each way

  ;; The mean of the block of `src` (sw × sh) whose top left is (x0, y0): 4 × 4 samples, fewer
  ;; where the edge cuts it; rounded (halves up).
  (func $blockMean (param $src i32) (param $sw i32) (param $sh i32) (param $x0 i32) (param $y0 i32) (result i32)
    (local $x1 i32) (local $y1 i32) (local $x i32) (local $y i32) (local $sum i32) (local $count i32)
    (local.set $x1 (call $min (i32.add (local.get $x0) (i32.const 4)) (local.get $sw)))
    (local.set $y1 (call $min (i32.add (local.get $y0) (i32.const 4)) (local.get $sh)))
    (local.set $y (local.get $y0))
    (loop $rows
      (local.set $x (local.get $x0))
      (loop $columns
        (local.set $sum
          (i32.add (local.get $sum)
            (i32.load8_u (i32.add (local.get $src) (i32.add (i32.mul (local.get $y) (local.get $sw)) (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br_if $columns (i32.lt_u (local.get $x) (local.get $x1))))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $y) (local.get $y1))))
    (local.set $count (i32.mul (i32.sub (local.get $x1) (local.get $x0)) (i32.sub (local.get $y1) (local.get $y0))))
    (i32.div_u
      (i32.add (i32.shl (local.get $sum) (i32.const 1)) (local.get $count))
      (i32.shl (local.get $count) (i32.const 1))))

  ;; `src` (sw × sh) into `dst` (⌈sw / 4⌉ × ⌈sh / 4⌉): each sample the mean of its 4 × 4 block.
  ;; Whole blocks 16 columns (4 samples out) at a time; the right and bottom edges one by one.
  (func (export "shrink") (param $src i32) (param $sw i32) (param $sh i32) (param $dst i32)
    (local $dw i32) (local $dh i32) (local $blocks i32) (local $groups i32) (local $tx i32) (local $ty i32)
    (local $b i32) (local $at i32) (local $s v128) (local $v v128)
    (local.set $dw (i32.shr_u (i32.add (local.get $sw) (i32.const 3)) (i32.const 2)))
    (local.set $dh (i32.shr_u (i32.add (local.get $sh) (i32.const 3)) (i32.const 2)))
    (local.set $blocks (i32.shr_u (local.get $sw) (i32.const 4)))
    (local.set $groups (i32.shr_u (local.get $sh) (i32.const 2)))
    (block $wholeDone
      (br_if $wholeDone (i32.eqz (i32.mul (local.get $blocks) (local.get $groups))))
      (loop $groupLoop
        (local.set $b (i32.const 0))
        (loop $blockLoop
          (local.set $at
            (i32.add (local.get $src)
              (i32.add (i32.mul (i32.shl (local.get $ty) (i32.const 2)) (local.get $sw)) (i32.shl (local.get $b) (i32.const 4)))))
          ;; Pairs of columns summed down the four rows (u16), then pairs of pairs (u32).
          (local.set $s (i16x8.extadd_pairwise_i8x16_u (v128.load (local.get $at))))
          (local.set $at (i32.add (local.get $at) (local.get $sw)))
          (local.set $s (i16x8.add (local.get $s) (i16x8.extadd_pairwise_i8x16_u (v128.load (local.get $at)))))
          (local.set $at (i32.add (local.get $at) (local.get $sw)))
          (local.set $s (i16x8.add (local.get $s) (i16x8.extadd_pairwise_i8x16_u (v128.load (local.get $at)))))
          (local.set $at (i32.add (local.get $at) (local.get $sw)))
          (local.set $s (i16x8.add (local.get $s) (i16x8.extadd_pairwise_i8x16_u (v128.load (local.get $at)))))
          (local.set $v
            (i32x4.shr_u
              (i32x4.add (i32x4.extadd_pairwise_i16x8_u (local.get $s)) (v128.const i32x4 8 8 8 8))
              (i32.const 4)))
          (local.set $v (i16x8.narrow_i32x4_u (local.get $v) (local.get $v)))
          (local.set $v (i8x16.narrow_i16x8_u (local.get $v) (local.get $v)))
          (i32.store
            (i32.add (local.get $dst)
              (i32.add (i32.mul (local.get $ty) (local.get $dw)) (i32.shl (local.get $b) (i32.const 2))))
            (i32x4.extract_lane 0 (local.get $v)))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br_if $blockLoop (i32.lt_u (local.get $b) (local.get $blocks))))
        (local.set $ty (i32.add (local.get $ty) (i32.const 1)))
        (br_if $groupLoop (i32.lt_u (local.get $ty) (local.get $groups)))))
    ;; What the loop above left: the columns from blocks × 4 on in its rows, and the rows below.
    (local.set $ty (i32.const 0))
    (block $edgeDone
      (loop $edgeRows
        (br_if $edgeDone (i32.ge_u (local.get $ty) (local.get $dh)))
        (local.set $tx
          (select (i32.shl (local.get $blocks) (i32.const 2)) (i32.const 0) (i32.lt_u (local.get $ty) (local.get $groups))))
        (block $rowDone
          (loop $edgeColumns
            (br_if $rowDone (i32.ge_u (local.get $tx) (local.get $dw)))
            (i32.store8
              (i32.add (local.get $dst) (i32.add (i32.mul (local.get $ty) (local.get $dw)) (local.get $tx)))
              (call $blockMean (local.get $src) (local.get $sw) (local.get $sh)
                (i32.shl (local.get $tx) (i32.const 2)) (i32.shl (local.get $ty) (i32.const 2))))
            (local.set $tx (i32.add (local.get $tx) (i32.const 1)))
            (br $edgeColumns)))
        (local.set $ty (i32.add (local.get $ty) (i32.const 1)))
        (br $edgeRows))))

  ;; ---------------------------------------------------------------- box blur

  ;; Sixteen box sums (two u16 × 8) divided by the box's width as (sum · scale + 32768) >> 16,
  ;; scale = round(65536 / (2r + 1)): sixteen bytes.
  (func $divided (param $lo v128) (param $hi v128) (param $scale v128) (result v128)
    (i8x16.narrow_i16x8_u
      (i16x8.narrow_i32x4_u
        (i32x4.shr_u
          (i32x4.add (i32x4.extmul_low_i16x8_u (local.get $lo) (local.get $scale)) (v128.const i32x4 32768 32768 32768 32768))
          (i32.const 16))
        (i32x4.shr_u
          (i32x4.add (i32x4.extmul_high_i16x8_u (local.get $lo) (local.get $scale)) (v128.const i32x4 32768 32768 32768 32768))
          (i32.const 16)))
      (i16x8.narrow_i32x4_u
        (i32x4.shr_u
          (i32x4.add (i32x4.extmul_low_i16x8_u (local.get $hi) (local.get $scale)) (v128.const i32x4 32768 32768 32768 32768))
          (i32.const 16))
        (i32x4.shr_u
          (i32x4.add (i32x4.extmul_high_i16x8_u (local.get $hi) (local.get $scale)) (v128.const i32x4 32768 32768 32768 32768))
          (i32.const 16)))))

  ;; One box pass of radius r along each row of `from` (w × h) into `to`, the row's ends repeated
  ;; outwards. Each row is first laid out in `line` with r copies of its first sample before it and
  ;; r of its last after it; each output is then the plain sum of 2r + 1 neighbours, 16 at a time.
  ;; A row's last block may read up to 15 bytes past the line (into its slack) and write as many
  ;; past the row's end: into the next row, written properly afterwards, or into the slack after
  ;; the last; those outputs are never kept.
  (func (export "boxAcross") (param $from i32) (param $to i32) (param $w i32) (param $h i32)
    (param $r i32) (param $scale i32) (param $line i32)
    (local $y i32) (local $x i32) (local $k i32) (local $row i32) (local $p i32) (local $span i32)
    (local $lo v128) (local $hi v128) (local $v v128) (local $sc v128)
    (local.set $sc (i16x8.splat (local.get $scale)))
    (local.set $span (i32.add (i32.shl (local.get $r) (i32.const 1)) (i32.const 1)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $y) (local.get $h)))
        (local.set $row (i32.add (local.get $from) (i32.mul (local.get $y) (local.get $w))))
        (memory.fill (local.get $line) (i32.load8_u (local.get $row)) (local.get $r))
        (memory.copy (i32.add (local.get $line) (local.get $r)) (local.get $row) (local.get $w))
        (memory.fill
          (i32.add (local.get $line) (i32.add (local.get $r) (local.get $w)))
          (i32.load8_u (i32.add (local.get $row) (i32.sub (local.get $w) (i32.const 1))))
          (local.get $r))
        (local.set $x (i32.const 0))
        (loop $blocks
          (local.set $lo (v128.const i32x4 0 0 0 0))
          (local.set $hi (v128.const i32x4 0 0 0 0))
          (local.set $p (i32.add (local.get $line) (local.get $x)))
          (local.set $k (i32.const 0))
          (loop $window
            (local.set $v (v128.load (local.get $p)))
            (local.set $lo (i16x8.add (local.get $lo) (i16x8.extend_low_i8x16_u (local.get $v))))
            (local.set $hi (i16x8.add (local.get $hi) (i16x8.extend_high_i8x16_u (local.get $v))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br_if $window (i32.lt_u (local.get $k) (local.get $span))))
          (v128.store
            (i32.add (local.get $to) (i32.add (i32.mul (local.get $y) (local.get $w)) (local.get $x)))
            (call $divided (local.get $lo) (local.get $hi) (local.get $sc)))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (br_if $blocks (i32.lt_u (local.get $x) (local.get $w))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows))))

  ;; One box pass of radius r along one line of `length` samples `step` apart, from `from` into
  ;; `to`, its ends repeated: a running sum, one sample at a time.
  (func $boxLine (param $from i32) (param $to i32) (param $length i32) (param $step i32) (param $r i32) (param $scale i32)
    (local $i i32) (local $sum i32) (local $last i32)
    (local.set $last (i32.sub (local.get $length) (i32.const 1)))
    (local.set $sum (i32.mul (i32.load8_u (local.get $from)) (i32.add (local.get $r) (i32.const 1))))
    (local.set $i (i32.const 1))
    (block $primed
      (loop $prime
        (br_if $primed (i32.gt_s (local.get $i) (local.get $r)))
        (local.set $sum
          (i32.add (local.get $sum)
            (i32.load8_u (i32.add (local.get $from) (i32.mul (call $min (local.get $i) (local.get $last)) (local.get $step))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $prime)))
    (local.set $i (i32.const 0))
    (loop $samples
      (i32.store8
        (i32.add (local.get $to) (i32.mul (local.get $i) (local.get $step)))
        (i32.shr_u (i32.add (i32.mul (local.get $sum) (local.get $scale)) (i32.const 32768)) (i32.const 16)))
      (local.set $sum
        (i32.sub
          (i32.add (local.get $sum)
            (i32.load8_u
              (i32.add (local.get $from)
                (i32.mul
                  (call $min (i32.add (local.get $i) (i32.add (local.get $r) (i32.const 1))) (local.get $last))
                  (local.get $step)))))
          (i32.load8_u
            (i32.add (local.get $from)
              (i32.mul (call $max (i32.sub (local.get $i) (local.get $r)) (i32.const 0)) (local.get $step))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $samples (i32.lt_u (local.get $i) (local.get $length)))))

  ;; One box pass of radius r down each column of `from` (w × h) into `to`, the columns' ends
  ;; repeated: running sums of 16 columns at a time, the columns left over one by one.
  (func (export "boxDown") (param $from i32) (param $to i32) (param $w i32) (param $h i32) (param $r i32) (param $scale i32)
    (local $x i32) (local $y i32) (local $i i32) (local $last i32) (local $column i32)
    (local $lo v128) (local $hi v128) (local $v v128) (local $sc v128) (local $first v128)
    (local.set $sc (i16x8.splat (local.get $scale)))
    (local.set $last (i32.sub (local.get $h) (i32.const 1)))
    (block $wholeDone
      (loop $blocks
        (br_if $wholeDone (i32.gt_u (i32.add (local.get $x) (i32.const 16)) (local.get $w)))
        (local.set $column (i32.add (local.get $from) (local.get $x)))
        (local.set $v (v128.load (local.get $column)))
        (local.set $first (i16x8.splat (i32.add (local.get $r) (i32.const 1))))
        (local.set $lo (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $v)) (local.get $first)))
        (local.set $hi (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $v)) (local.get $first)))
        (local.set $i (i32.const 1))
        (block $primed
          (loop $prime
            (br_if $primed (i32.gt_s (local.get $i) (local.get $r)))
            (local.set $v
              (v128.load
                (i32.add (local.get $column) (i32.mul (call $min (local.get $i) (local.get $last)) (local.get $w)))))
            (local.set $lo (i16x8.add (local.get $lo) (i16x8.extend_low_i8x16_u (local.get $v))))
            (local.set $hi (i16x8.add (local.get $hi) (i16x8.extend_high_i8x16_u (local.get $v))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $prime)))
        (local.set $y (i32.const 0))
        (loop $rows
          (v128.store
            (i32.add (local.get $to) (i32.add (i32.mul (local.get $y) (local.get $w)) (local.get $x)))
            (call $divided (local.get $lo) (local.get $hi) (local.get $sc)))
          (local.set $v
            (v128.load
              (i32.add (local.get $column)
                (i32.mul
                  (call $min (i32.add (local.get $y) (i32.add (local.get $r) (i32.const 1))) (local.get $last))
                  (local.get $w)))))
          (local.set $lo (i16x8.add (local.get $lo) (i16x8.extend_low_i8x16_u (local.get $v))))
          (local.set $hi (i16x8.add (local.get $hi) (i16x8.extend_high_i8x16_u (local.get $v))))
          (local.set $v
            (v128.load
              (i32.add (local.get $column)
                (i32.mul (call $max (i32.sub (local.get $y) (local.get $r)) (i32.const 0)) (local.get $w)))))
          (local.set $lo (i16x8.sub (local.get $lo) (i16x8.extend_low_i8x16_u (local.get $v))))
          (local.set $hi (i16x8.sub (local.get $hi) (i16x8.extend_high_i8x16_u (local.get $v))))
          (local.set $y (i32.add (local.get $y) (i32.const 1)))
          (br_if $rows (i32.lt_u (local.get $y) (local.get $h))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $blocks)))
    (block $done
      (loop $columns
        (br_if $done (i32.ge_u (local.get $x) (local.get $w)))
        (call $boxLine
          (i32.add (local.get $from) (local.get $x)) (i32.add (local.get $to) (local.get $x))
          (local.get $h) (local.get $w) (local.get $r) (local.get $scale))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $columns))))

  ;; ---------------------------------------------------------------- NV12

  ;; NV12's interleaved chroma (U, V, U, V…: `count` pairs at `uv`) into the U and V planes, 16
  ;; pairs at a time, the rest one by one.
  (func (export "deinterleave") (param $uv i32) (param $u i32) (param $v i32) (param $count i32)
    (local $i i32) (local $at i32) (local $a v128) (local $b v128)
    (block $whole
      (loop $blocks
        (br_if $whole (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $count)))
        (local.set $at (i32.add (local.get $uv) (i32.shl (local.get $i) (i32.const 1))))
        (local.set $a (v128.load (local.get $at)))
        (local.set $b (v128.load offset=16 (local.get $at)))
        (v128.store (i32.add (local.get $u) (local.get $i))
          (i8x16.shuffle 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 (local.get $a) (local.get $b)))
        (v128.store (i32.add (local.get $v) (local.get $i))
          (i8x16.shuffle 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 (local.get $a) (local.get $b)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (block $done
      (loop $rest
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $at (i32.add (local.get $uv) (i32.shl (local.get $i) (i32.const 1))))
        (i32.store8 (i32.add (local.get $u) (local.get $i)) (i32.load8_u (local.get $at)))
        (i32.store8 (i32.add (local.get $v) (local.get $i)) (i32.load8_u offset=1 (local.get $at)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rest))))

  ;; ---------------------------------------------------------------- compositing

  ;; (a · (256 − k) + b · k + 128) >> 8 on u16 lanes (a, b ≤ 255, k ≤ 256: no lane overflows).
  (func $mix (param $a v128) (param $b v128) (param $k v128) (result v128)
    (i16x8.shr_u
      (i16x8.add
        (i16x8.add
          (i16x8.mul (local.get $a) (i16x8.sub (v128.const i16x8 256 256 256 256 256 256 256 256) (local.get $k)))
          (i16x8.mul (local.get $b) (local.get $k)))
        (v128.const i16x8 128 128 128 128 128 128 128 128))
      (i32.const 8)))

  ;; Two rows mixed: into[c] = (a[c] · (256 − k) + b[c] · k + 128) >> 8 for c < n, 16 at a time
  ;; (up to 15 more written).
  (func $between (param $a i32) (param $b i32) (param $k i32) (param $n i32) (param $into i32)
    (local $c i32) (local $kv v128) (local $va v128) (local $vb v128)
    (local.set $kv (i16x8.splat (local.get $k)))
    (loop $columns
      (local.set $va (v128.load (i32.add (local.get $a) (local.get $c))))
      (local.set $vb (v128.load (i32.add (local.get $b) (local.get $c))))
      (v128.store (i32.add (local.get $into) (local.get $c))
        (i8x16.narrow_i16x8_u
          (call $mix (i16x8.extend_low_i8x16_u (local.get $va)) (i16x8.extend_low_i8x16_u (local.get $vb)) (local.get $kv))
          (call $mix (i16x8.extend_high_i8x16_u (local.get $va)) (i16x8.extend_high_i8x16_u (local.get $vb)) (local.get $kv))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br_if $columns (i32.lt_u (local.get $c) (local.get $n)))))

  ;; Sixteen samples of a row scaled up across: `source` is the row from the block's first source
  ;; column; `table` holds each sample's two source columns from there (16 bytes each) and the
  ;; weight of the second (16 bytes, 0–255).
  (func $across (param $source i32) (param $table i32) (result v128)
    (local $v v128) (local $a v128) (local $b v128) (local $k v128)
    (local.set $v (v128.load (local.get $source)))
    (local.set $a (i8x16.swizzle (local.get $v) (v128.load (local.get $table))))
    (local.set $b (i8x16.swizzle (local.get $v) (v128.load offset=16 (local.get $table))))
    (local.set $k (v128.load offset=32 (local.get $table)))
    (i8x16.narrow_i16x8_u
      (call $mix
        (i16x8.extend_low_i8x16_u (local.get $a)) (i16x8.extend_low_i8x16_u (local.get $b))
        (i16x8.extend_low_i8x16_u (local.get $k)))
      (call $mix
        (i16x8.extend_high_i8x16_u (local.get $a)) (i16x8.extend_high_i8x16_u (local.get $b))
        (i16x8.extend_high_i8x16_u (local.get $k)))))

  ;; Puts `layer` over `out` (w × h, in place) where `mask` says it is not the person (0: the
  ;; background, 255: the person). Layer and mask are smaller and scaled up bilinearly: first down
  ;; (their two rows around each output row mixed into `layerRow` and `maskRow`), then across, 16
  ;; samples at a time by the column tables. Each output is (frame · a + layer · (256 − a) + 128)
  ;; >> 8 with a the mask scaled up, 0–255 taken to 0–256; 16 samples all the person are left as
  ;; they are, 16 all background get the layer alone.
  ;; `rows` (32 bytes a row): the layer's two rows (byte offsets) and the weight of the second, then
  ;; the mask's. `blocks` (128 bytes each, `count` of them): the layer's column table (48 bytes),
  ;; the mask's (48), the layer's first source column (96), the mask's (100), the block's first
  ;; column (104), and for a block that would cross the row's end (108) how many samples go
  ;; through `side` and (112) the first of them to be written back (0 and 0 for the others).
  (func (export "composite") (param $out i32) (param $w i32) (param $h i32)
    (param $layer i32) (param $layerWidth i32) (param $mask i32) (param $maskWidth i32)
    (param $rows i32) (param $blocks i32) (param $count i32)
    (param $layerRow i32) (param $maskRow i32) (param $side i32)
    (local $y i32) (local $b i32) (local $row i32) (local $block i32) (local $at i32) (local $target i32) (local $n i32)
    (local $keep i32)
    (local $alpha v128) (local $background v128) (local $frame v128) (local $k v128)
    (block $done
      (loop $outRows
        (br_if $done (i32.ge_u (local.get $y) (local.get $h)))
        (local.set $row (i32.add (local.get $rows) (i32.shl (local.get $y) (i32.const 5))))
        (call $between
          (i32.add (local.get $layer) (i32.load (local.get $row)))
          (i32.add (local.get $layer) (i32.load offset=4 (local.get $row)))
          (i32.load offset=8 (local.get $row))
          (local.get $layerWidth) (local.get $layerRow))
        (call $between
          (i32.add (local.get $mask) (i32.load offset=12 (local.get $row)))
          (i32.add (local.get $mask) (i32.load offset=16 (local.get $row)))
          (i32.load offset=20 (local.get $row))
          (local.get $maskWidth) (local.get $maskRow))
        (local.set $b (i32.const 0))
        (loop $blockLoop
          (local.set $block (i32.add (local.get $blocks) (i32.shl (local.get $b) (i32.const 7))))
          (local.set $at
            (i32.add (local.get $out)
              (i32.add (i32.mul (local.get $y) (local.get $w)) (i32.load offset=104 (local.get $block)))))
          (local.set $n (i32.load offset=108 (local.get $block)))
          (local.set $target (local.get $at))
          (if (local.get $n)
            (then
              (memory.copy (local.get $side) (local.get $at) (local.get $n))
              (local.set $target (local.get $side))))
          (block $blended
            (local.set $alpha
              (call $across
                (i32.add (local.get $maskRow) (i32.load offset=100 (local.get $block)))
                (i32.add (local.get $block) (i32.const 48))))
            (br_if $blended
              (i8x16.all_true (i8x16.eq (local.get $alpha) (v128.const i8x16 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1))))
            (local.set $background
              (call $across
                (i32.add (local.get $layerRow) (i32.load offset=96 (local.get $block)))
                (local.get $block)))
            (if (i32.eqz (v128.any_true (local.get $alpha)))
              (then
                (v128.store (local.get $target) (local.get $background))
                (br $blended)))
            (local.set $frame (v128.load (local.get $target)))
            (v128.store (local.get $target)
              (i8x16.narrow_i16x8_u
                (call $mix
                  (i16x8.extend_low_i8x16_u (local.get $background))
                  (i16x8.extend_low_i8x16_u (local.get $frame))
                  (call $weight (i16x8.extend_low_i8x16_u (local.get $alpha))))
                (call $mix
                  (i16x8.extend_high_i8x16_u (local.get $background))
                  (i16x8.extend_high_i8x16_u (local.get $frame))
                  (call $weight (i16x8.extend_high_i8x16_u (local.get $alpha)))))))
          (if (local.get $n)
            (then
              (local.set $keep (i32.load offset=112 (local.get $block)))
              (memory.copy
                (i32.add (local.get $at) (local.get $keep))
                (i32.add (local.get $side) (local.get $keep))
                (i32.sub (local.get $n) (local.get $keep)))))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br_if $blockLoop (i32.lt_u (local.get $b) (local.get $count))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $outRows))))

  ;; A mask value 0–255 as a weight 0–256 (255: all of it).
  (func $weight (param $a v128) (result v128)
    (i16x8.add (local.get $a) (i16x8.shr_u (local.get $a) (i32.const 7))))
)
