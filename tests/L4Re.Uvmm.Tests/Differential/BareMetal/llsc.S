/* Load-linked / store-conditional: an atomic increment loop, a failing SC after a plain store of another
   value, and an SC to a different address. */
    .set noreorder
    .set noat
    .text
    .globl main
main:
    la $a0, counter
    li $t1, 100
1:  ll $t0, 0($a0)
    addiu $t0, $t0, 3
    sc $t0, 0($a0)
    beqz $t0, 1b
    nop
    addiu $t1, $t1, -1
    bnez $t1, 1b
    nop
    lw $s0, 0($a0)
    ll $t2, 0($a0)
    li $t3, 77
    sw $t3, 0($a0)
    sc $t2, 0($a0)
    move $s1, $t2
    lw $s2, 0($a0)
    ll $t4, 0($a0)
    sc $t4, 4($a0)
    move $s3, $t4
    jr $ra
    move $v0, $s0

    .data
    .align 4
counter:
    .word 5, 0
