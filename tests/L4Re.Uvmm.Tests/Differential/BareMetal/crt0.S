/* Start-up for the bare-metal differential programs: the same binary runs under qemu-system-mipsel -M malta
   (entered from QEMU's boot loader, which leaves values in a0-a3, sp, t9, k0, k1, ra) and under the
   L4Re.Uvmm engine (reset state). Zero every register so both start alike, call main, then stop at WAIT. */
    .set noreorder
    .set noat
    .text
    .globl _start
    .ent _start
_start:
    move $1, $0
    move $2, $0
    move $3, $0
    move $4, $0
    move $5, $0
    move $6, $0
    move $7, $0
    move $8, $0
    move $9, $0
    move $10, $0
    move $11, $0
    move $12, $0
    move $13, $0
    move $14, $0
    move $15, $0
    move $16, $0
    move $17, $0
    move $18, $0
    move $19, $0
    move $20, $0
    move $21, $0
    move $22, $0
    move $23, $0
    move $24, $0
    move $25, $0
    move $26, $0
    move $27, $0
    move $28, $0
    move $30, $0
    move $31, $0
    mthi $0
    mtlo $0
    lui $29, %hi(stack_top)
    addiu $29, $29, %lo(stack_top)
    jal main
    nop
    .globl done
done:
    wait
    b done
    nop
    .end _start

    .bss
    .align 4
    .space 65536
stack_top:
