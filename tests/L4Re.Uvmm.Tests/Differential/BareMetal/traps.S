/* Conditional traps that do not fire (the exception paths are covered by exceptions.S). */
    .set noreorder
    .set noat
    .text
    .globl main
main:
    li $t0, 5
    li $t1, -5
    teq $t0, $t1
    tne $t0, $t0
    tge $t1, $t0
    tgeu $t0, $t1
    tlt $t0, $t1
    tltu $t1, $t0
    teqi $t0, 4
    tnei $t0, 5
    tgei $t1, 0
    tgeiu $t0, -1
    tlti $t0, -7
    tltiu $t1, 3
    sync
    ehb
    ssnop
    pref 0, 0($sp)
    jr $ra
    li $v0, 0x600d
