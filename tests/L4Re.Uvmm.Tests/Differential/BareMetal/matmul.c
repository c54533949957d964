/* 48x48 integer matrix multiply with signed overflow-free wrap-around through unsigned arithmetic. */
#define N 48
static unsigned int A[N][N], B[N][N], C[N][N];

unsigned int main(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = (unsigned int)(i * 7 + j * 13) ^ 0x5a5a5a5au;
            B[i][j] = (unsigned int)(i * j + 3) * 2654435761u;
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            unsigned int s = 0;
            for (int k = 0; k < N; k++)
                s += A[i][k] * B[k][j];
            C[i][j] = s;
        }
    unsigned int h = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            h = h * 31 + C[i][j];
    return h;
}
