#include "textflag.h"

// func prefetch(p unsafe.Pointer)
TEXT ·prefetch(SB), NOSPLIT|NOFRAME, $0-8
	MOVQ	p+0(FP), AX
	PREFETCHT1	(AX)
	RET

// func prefetchLines(p unsafe.Pointer, n uintptr)
TEXT ·prefetchLines(SB), NOSPLIT|NOFRAME, $0-16
	MOVQ	p+0(FP), AX
	MOVQ	n+8(FP), CX
	ADDQ	AX, CX
	ANDQ	$-64, AX
loop:
	CMPQ	AX, CX
	JAE	done
	PREFETCHT1	(AX)
	ADDQ	$64, AX
	JMP	loop
done:
	RET
