/* MIPS32 Release 2 additions: EXT, INS, WSBH, SEB, SEH, ROTR(V), CLZ/CLO, MOVN/MOVZ. */
    .set noreorder
    .set noat
    .text
    .globl main
main:
    li $t0, 0x9abcdef1
    ext $s0, $t0, 0, 1
    ext $s1, $t0, 4, 12
    ext $s2, $t0, 31, 1
    ext $s3, $t0, 0, 32
    li $s4, 0x12345678
    ins $s4, $t0, 8, 8
    li $s5, 0xffffffff
    ins $s5, $zero, 0, 31
    wsbh $s6, $t0
    seb $s7, $t0
    seh $a0, $t0
    rotr $a1, $t0, 1
    rotr $a2, $t0, 31
    li $t1, 36
    rotrv $a3, $t0, $t1
    clz $v1, $zero
    clz $t2, $t0
    srl $t3, $t0, 9
    clz $t3, $t3
    clo $t4, $t0
    li $t5, -1
    clo $t5, $t5
    li $t6, 5
    li $t7, 0
    movn $t6, $t0, $t7
    movz $t7, $t0, $t7
    li $t8, 9
    movn $t8, $t0, $t0
    jr $ra
    addu $v0, $s1, $s4
