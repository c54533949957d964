/* Multiply/divide: signed and unsigned products, accumulate and subtract, quotient/remainder signs. */
    .set noreorder
    .set noat
    .text
    .globl main
main:
    li $t0, 0x89abcdef
    li $t1, 0x12345678
    mult $t0, $t1
    mfhi $s0
    mflo $s1
    multu $t0, $t1
    mfhi $s2
    mflo $s3
    madd $t0, $t0
    maddu $t1, $t1
    msub $t1, $t0
    msubu $t0, $t1
    mfhi $s4
    mflo $s5
    li $t2, -100
    li $t3, 7
    div $zero, $t2, $t3
    mflo $s6
    mfhi $s7
    divu $zero, $t2, $t3
    mflo $a0
    mfhi $a1
    li $t4, -7
    div $zero, $t2, $t4
    mflo $a2
    mfhi $a3
    mul $v1, $t0, $t1
    mul $t5, $t2, $t4
    li $t6, 0xffffffff
    multu $t6, $t6
    mthi $t5
    jr $ra
    addu $v0, $s0, $s5
