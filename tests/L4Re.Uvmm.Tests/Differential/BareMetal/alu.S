/* Integer ALU corner cases: carries, sign bits, shifts by 0 and 31, set-on-less-than with signed/unsigned views. */
    .set noreorder
    .set noat
    .text
    .globl main
main:
    li $t0, 0x7fffffff
    li $t1, 0x80000000
    li $t2, -1
    addu $s0, $t0, $t2
    subu $s1, $t1, $t0
    and $s2, $t0, $t1
    or $s3, $t0, $t1
    xor $s4, $t2, $t0
    nor $s5, $t1, $zero
    slt $s6, $t1, $t0
    sltu $s7, $t1, $t0
    slti $a0, $t1, -5
    sltiu $a1, $t0, -1
    addiu $a2, $t1, -1
    andi $a3, $t2, 0x8001
    ori $v1, $t1, 0xffff
    xori $t3, $t0, 0x5555
    lui $t4, 0xffff
    sll $t5, $t2, 31
    srl $t6, $t2, 31
    sra $t7, $t1, 31
    li $t8, 33
    sllv $t9, $t0, $t8
    srlv $k0, $t1, $t8
    srav $k1, $t1, $t8
    addu $v0, $s0, $s1
    addu $v0, $v0, $t9
    jr $ra
    nop
