/* Multi-precision arithmetic: 1024-bit additions with carries and schoolbook multiplication (MULTU/MFHI). */
#define W 32
static unsigned int x[W], y[W], z[2 * W];

unsigned int main(void)
{
    for (int i = 0; i < W; i++) {
        x[i] = 0xffffffffu - (unsigned int)i * 0x01010101u;
        y[i] = (unsigned int)i * 0x9e3779b9u;
    }
    for (int round = 0; round < 8; round++) {
        unsigned int carry = 0;
        for (int i = 0; i < W; i++) {
            unsigned int s = x[i] + y[i];
            unsigned int c1 = s < x[i];
            unsigned int t = s + carry;
            carry = c1 | (t < s);
            y[i] = t;
        }
        for (int i = 0; i < 2 * W; i++)
            z[i] = 0;
        for (int i = 0; i < W; i++) {
            unsigned long long c = 0;
            for (int j = 0; j < W; j++) {
                unsigned long long p = (unsigned long long)x[i] * y[j] + z[i + j] + c;
                z[i + j] = (unsigned int)p;
                c = p >> 32;
            }
            z[i + W] = (unsigned int)c;
        }
        for (int i = 0; i < W; i++)
            x[i] = z[i] ^ z[i + W];
    }
    unsigned int h = 0;
    for (int i = 0; i < 2 * W; i++)
        h = h * 65599 + z[i];
    return h;
}
